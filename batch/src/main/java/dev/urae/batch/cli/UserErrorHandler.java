package dev.urae.batch.cli;

import dev.urae.infra.exec.Causes;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns exceptions that escape a command into one clear line on stderr and exit code 1. The
 * stack trace is printed only with {@code URAE_DEBUG=1}: users need the what and where, not
 * the how.
 */
final class UserErrorHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
    commandLine.getErr().println("urae " + commandLine.getCommandName() + ": " + Causes.describe(e));
    if ("1".equals(System.getenv("URAE_DEBUG"))) e.printStackTrace(commandLine.getErr());
    return 1;
  }
}
