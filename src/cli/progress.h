#pragma once
// The terminal's progress line for long work: installed by the CLI as the process's progress
// reporter (core/interrupt.h). It stays silent for the first two seconds of an operation (short
// renders print nothing) and when stderr is not a terminal, then redraws one line at most ten
// times a second.
namespace gaussmap::cli {

// Installs the reporter for the rest of the process (idempotent).
void installTerminalProgress();
// Ends the current progress line, if one was drawn (before printing anything else).
void endProgressLine();

}  // namespace gaussmap::cli
