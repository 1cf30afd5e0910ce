package dev.urae.batch.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar's manifest (unknown when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = UraeCommand.class.getPackage().getImplementationVersion();
    return new String[] {"urae " + (version == null ? "(development build)" : version)};
  }
}
