/**
 * The examples' subcommands (picocli): options with defaults in {@code --help}, checked before any
 * work, a progress bar while training, and every output in one folder.
 */
package org.jsparse.examples.cli;
