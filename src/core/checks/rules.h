// BuildKit's build checks (the Dockerfile frontend's linter): the rule table, the exact message
// of each rule, and the string-level pieces of their trigger conditions. Independent of the AST:
// everything takes strings, so the checks engine (written on top of the typed instructions and
// the stage graph) only has to feed values in. The rules, their trigger conditions and their
// edge cases are described in docs/checks.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "context/path.h"

namespace dfplay::checks {

// In BuildKit's declaration order (frontend/dockerfile/linter/ruleset.go), which is also the
// order of rules() and of the docs' rule list.
enum class RuleId : uint8_t {
  StageNameCasing,
  FromAsCasing,
  NoEmptyContinuation,
  ConsistentInstructionCasing,
  DuplicateStageName,
  ReservedStageName,
  JSONArgsRecommended,
  MaintainerDeprecated,
  UndefinedArgInFrom,
  WorkdirRelativePath,
  UndefinedVar,
  MultipleInstructionsDisallowed,
  LegacyKeyValueFormat,
  InvalidBaseImagePlatform,
  RedundantTargetPlatform,
  SecretsUsedInArgOrEnv,
  InvalidDefaultArgInFrom,
  FromPlatformFlagConstDisallowed,
  CopyIgnoredFile,
  InvalidDefinitionDescription,
  ExposeProtoCasing,
  ExposeInvalidFormat,
};
inline constexpr size_t kRuleCount = 22;

// When BuildKit evaluates the rule while converting a Dockerfile (docs/checks.md, section 1).
enum class Phase : uint8_t {
  Parse,          // the parser's own warnings (NoEmptyContinuation)
  Instruction,    // turning each AST node into a typed instruction (every node)
  Stages,         // over the list of stages, after parsing
  StageBase,      // per FROM: base name and --platform expansion
  BaseImage,      // resolving a base image's config (reachable stages)
  Dispatch,       // converting each instruction of a dispatched stage, after expansion
};

struct Rule {
  RuleId id;
  std::string_view name;         // "StageNameCasing": what `check=skip=` and reports use
  std::string_view description;  // BuildKit's Description, shown with each warning
  std::string_view url;          // as BuildKit reports it; "" for InvalidBaseImagePlatform
  std::string_view slug;         // docs page: https://docs.docker.com/reference/build-checks/<slug>/
  bool experimental;             // off unless enabled with `check=experimental=...`
  Phase phase;
  // The message template, "{}" for each argument in order (see the msg_* builders for the
  // quoting of each argument), and the variant with a suggestion ("" when there is none).
  std::string_view message_format;
  std::string_view message_format_suggest;
};

// All rules, in RuleId order.
std::span<const Rule> rules();
const Rule& rule(RuleId id);
// Exact, case-sensitive name lookup (BuildKit matches skip/experimental names exactly).
const Rule* find_rule(std::string_view name);
// Diagnostic code used for findings: "check/<RuleName>".
std::string diagnostic_code(RuleId id);
// The docs page: "https://docs.docker.com/reference/build-checks/<slug>/".
std::string docs_page_url(RuleId id);

// ---- Messages: BuildKit's exact wording ("Detail" of a warning). -------------------------
// Arguments are the raw values; quoting (Go's %q where BuildKit uses it) is done here.

std::string msg_stage_name_casing(std::string_view stage_name);
// from_keyword and as_keyword as written; BuildKit prints the AS word first.
std::string msg_from_as_casing(std::string_view from_keyword, std::string_view as_keyword);
std::string msg_no_empty_continuation();
// majority_lower: the majority casing of the file's instruction keywords.
std::string msg_consistent_instruction_casing(std::string_view keyword, bool majority_lower);
std::string msg_duplicate_stage_name(std::string_view stage_name);
std::string msg_reserved_stage_name(std::string_view stage_name);
std::string msg_json_args_recommended(std::string_view keyword);
std::string msg_maintainer_deprecated();
// suggestion "" for none; printed without "$" (unlike UndefinedVar).
std::string msg_undefined_arg_in_from(std::string_view arg, std::string_view suggestion = {});
std::string msg_workdir_relative_path(std::string_view workdir);
// suggestion "" for none.
std::string msg_undefined_var(std::string_view var, std::string_view suggestion = {});
std::string msg_multiple_instructions_disallowed(std::string_view keyword);
std::string msg_legacy_key_value_format(std::string_view keyword);
std::string msg_invalid_base_image_platform(std::string_view image, std::string_view expected,
                                            std::string_view actual);
std::string msg_redundant_target_platform(std::string_view platform_expr);
// instruction: "ARG" or "ENV".
std::string msg_secrets_used_in_arg_or_env(std::string_view instruction, std::string_view key);
std::string msg_invalid_default_arg_in_from(std::string_view base_name);
std::string msg_from_platform_flag_const_disallowed(std::string_view platform);
// is_add: ADD ("Add") rather than COPY ("Copy").
std::string msg_copy_ignored_file(bool is_add, std::string_view path);
// instruction: "FROM" or "ARG"; example_key: the name, or "<arg_key>" for several ARG names.
std::string msg_invalid_definition_description(std::string_view instruction,
                                               std::string_view example_key);
std::string msg_expose_proto_casing(std::string_view port_spec);
std::string msg_expose_invalid_format(std::string_view port_spec);

// The build error of `check=error=true`: "lint violation found for rules: A, B". Rules are
// listed once each, in the order given (BuildKit's order is unspecified: a Go map).
std::string msg_lint_violation(std::span<const RuleId> rules_with_warnings);
// The one-line form of a normal build's progress output: "Rule: message (line N)"
// (BuildKit's linter.LintFormatShort; no " (line N)" when line is 0).
std::string format_short(std::string_view rule_name, std::string_view message, uint32_t line);

// ---- Trigger helpers: the string-level parts of the conditions. -------------------------

// Go's s == strings.ToLower(s) / s == strings.ToUpper(s) for ASCII letters; other bytes are
// left alone (instruction keywords and the AS word are ASCII in practice).
bool is_lowercase(std::string_view s);
bool is_uppercase(std::string_view s);
// "CMD" or "cmd", not "Cmd".
inline bool is_self_consistent_casing(std::string_view s) {
  return is_lowercase(s) || is_uppercase(s);
}
// StageNameCasing: the stage name as written is not lowercase (Go strings.ToLower, Unicode).
bool stage_name_not_lowercase(std::string_view stage_name);
// FromAsCasing: true when the AS word does not follow the FROM keyword's casing. A mixed-case
// FROM keyword is never reported by this rule.
bool from_as_casing_mismatch(std::string_view from_keyword, std::string_view as_keyword);

// ConsistentInstructionCasing: feed the keyword of every instruction inside stages (each FROM
// and the instructions after it; not the global ARGs), then ask each keyword.
class CasingMajority {
 public:
  void add(std::string_view keyword);
  bool majority_lower() const { return lower_ > upper_; }  // a tie is uppercase
  // The message for `keyword`, or nullopt when it matches the majority.
  std::optional<std::string> check(std::string_view keyword) const;

 private:
  size_t lower_ = 0;
  size_t upper_ = 0;
};

// ReservedStageName: the (lowercased) stage name is "scratch" or "context".
bool is_reserved_stage_name(std::string_view stage_name);

// SecretsUsedInArgOrEnv: a `_`-separated part of the key equals (ignoring case, Go folding)
// one of the secret tokens and no part equals an allowed token.
bool is_secret_key(std::string_view key);
std::span<const std::string_view> secret_tokens();  // apikey auth credential ...
std::span<const std::string_view> secret_allow_tokens();  // public file version

// WorkdirRelativePath on Linux: the expanded path does not start with "/".
inline bool is_relative_workdir(std::string_view path) { return path.empty() || path[0] != '/'; }

// Levenshtein distance on Unicode code points (agext/levenshtein with default costs), computed
// only up to `limit`: returns min(distance, limit + 1). Linear in the input size.
size_t levenshtein(std::string_view a, std::string_view b, size_t limit = 2);
// BuildKit's suggest.Search: the closest option at distance < 3, "" when none, and "" as soon
// as an option equals the value. Ties: the first option wins. When !case_sensitive the
// comparison ignores ASCII case and the match takes the value's casing if it is all lower or
// all upper (BuildKit's matchCase).
std::string suggest(std::string_view value, std::span<const std::string> options,
                    bool case_sensitive = true);
std::string suggest(std::string_view value, std::span<const std::string_view> options,
                    bool case_sensitive = true);

// InvalidDefinitionDescription. `comments`: the comment lines directly above the instruction
// (BuildKit's PrevComment: text after '#', white space trimmed, directives removed); `keys`:
// the stage name (lowercased) for FROM ... AS, the ARG names for ARG. Returns the message when
// the last comment does not start with one of the keys, nullopt otherwise.
std::optional<std::string> check_definition_description(std::string_view instruction,
                                                         std::span<const std::string> keys,
                                                         std::span<const std::string> comments);

// ExposeProtoCasing / ExposeInvalidFormat for one port spec (after expansion and word
// splitting). `lintable` is false when BuildKit fails on the spec before linting it (no port,
// or a protocol other than tcp/udp/sctp); the flags are then false.
struct ExposeSpecLint {
  bool lintable = false;
  bool proto_casing = false;    // ExposeProtoCasing
  bool invalid_format = false;  // ExposeInvalidFormat
};
ExposeSpecLint lint_expose_spec(std::string_view port_spec);

// FromPlatformFlagConstDisallowed: a constant --platform is allowed when the stage name
// (lowercased, "" if unnamed) contains the parsed OS or architecture.
inline bool const_platform_exempt(std::string_view stage_name, std::string_view os,
                                  std::string_view arch) {
  return stage_name.find(os) != std::string_view::npos ||
         stage_name.find(arch) != std::string_view::npos;
}

// CopyIgnoredFile: the source path as BuildKit matches and prints it (Go's path.Clean:
// "./a//b/" -> "a/b", "" -> ".", "/../x" -> "/x"; the build context's implementation).
using context::clean_path;

// CopyIgnoredFile's two pre-checks over the .dockerignore patterns, as patternmatcher holds
// them (cleaned, without the leading '!', which becomes `exclusion`). The matching itself
// (MatchesOrParentMatches) belongs to the build-context module.
struct IgnorePattern {
  std::string pattern;
  bool exclusion = false;  // a "!pattern" line
};
// The context root ("." or "/") counts as ignored only when a non-negated pattern is exactly
// "*", "**" or "**/*".
bool copy_source_root_ignored(std::span<const IgnorePattern> patterns);
// True when a negated pattern could re-include something at or below `cleaned_src`; BuildKit
// then skips the check for that source.
bool copy_source_negated(std::span<const IgnorePattern> patterns, std::string_view cleaned_src);

}  // namespace dfplay::checks
