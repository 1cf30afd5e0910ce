package dev.urae.batch.cli;

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
    commandLine.getErr().println("urae " + commandLine.getCommandName() + ": " + describe(e));
    if ("1".equals(System.getenv("URAE_DEBUG"))) e.printStackTrace(commandLine.getErr());
    return 1;
  }

  static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (text.indexOf(message) >= 0) continue;
      if (text.length() > 0) text.append(": ");
      text.append(message);
    }
    return text.toString();
  }
}
