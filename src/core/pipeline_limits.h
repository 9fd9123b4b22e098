// The limits of the pipeline: every stage does work at most roughly linear in its input, and where
// a pathological input could still make it do too much (or hold too much memory), it stops at one
// of these limits with an error diagnostic at the line:column where the limit was reached (code
// "limits/..."), and the rest is still analysed as far as it goes. docs/limits.md explains each
// one: its value, its diagnostic and why it is where it is. Nobody else invents limits: the app,
// the CLI and the JS API all get these through the core.
//
// The values are far above what real Dockerfiles use (the largest of ../shared/conformance/real
// has a few hundred instructions) and low enough that any input up to 1 MB is analysed within 1 s
// and 256 MB natively (tests/bad-inputs/ holds the inputs that check it).
#pragma once
#include <cstddef>
#include <cstdint>

namespace dfplay::limits {

// A Dockerfile larger than this is refused as a whole: one diagnostic at 1:1, nothing analysed.
inline constexpr size_t kMaxInputBytes = size_t{2} << 20;  // 2 MiB

// Instructions (top-level, an ONBUILD counts once) and stages (FROM) of one Dockerfile. The
// parser stops at the first instruction over the limit.
inline constexpr size_t kMaxInstructions = 10000;
inline constexpr size_t kMaxStages = 500;

// Distinct ARG and ENV names in one stage (inherited ones included). Definitions of new names
// over the limit are reported and ignored.
inline constexpr size_t kMaxVariables = 1000;

// The environment every step carries (ENV and ARG values, for RUN's cache key and effects),
// summed over all the steps of the build. Beyond it the remaining steps of the stage see no
// variables (reported once per stage at the step where it ran out).
inline constexpr uint64_t kMaxEnvironmentVolume = uint64_t{64} << 20;  // 64 MiB

// Bytes produced by variable expansion (every word of the build together). A word that would
// push the total over the limit fails to expand (an error at the word).
inline constexpr uint64_t kMaxExpansionBytes = uint64_t{16} << 20;  // 16 MiB

// A path in the image (WORKDIR, COPY/ADD destinations): Linux's PATH_MAX.
inline constexpr size_t kMaxPathBytes = 4096;
// ${...} nested in ${...} in the shell lexer that finds heredocs (each level is a call: the stack
// bounds it). A deeper line does not lex, so it has no heredocs (as with any line that does not
// lex); docs/limits.md.
inline constexpr int kMaxSubstitutionNesting = 1000;

// Entries of the build context (files, directories, symlinks; the directories implied by the
// paths included). Beyond it the remaining entries (in path order; for a directory read from disk,
// the rest of the walk) are left out, with one error.
inline constexpr size_t kMaxContextEntries = 50000;

// A .dockerignore file: pattern lines read (the rest of the file is left out, with an error at
// the first line over the limit), and the bytes of one pattern (a longer one is left out, with
// an error at its line). Matching costs entries x patterns x pattern length.
inline constexpr size_t kMaxIgnorePatterns = 1000;
inline constexpr size_t kMaxIgnorePatternBytes = 4096;

// Matching a .dockerignore against the context: the work it may take, estimated before the walk
// from the context's entries and path bytes and each pattern's cost (a comparison per entry; per
// path byte 1 for a pattern run as a DFA, the program's size on the Pike VM: see
// context::Pattern::cost_per_byte). Patterns from the first one over the budget on are left out,
// with an error at its line. 2^27 units is about 0.45 s natively for DFA patterns (3.4 ns a byte).
inline constexpr uint64_t kMaxIgnoreMatchWork = uint64_t{1} << 27;

}  // namespace dfplay::limits
