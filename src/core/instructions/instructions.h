// Typed instructions: the AST turned into BuildKit's commands (frontend/dockerfile/instructions),
// with flags validated. Words are kept raw (not yet expanded): variable expansion depends on
// the ARG/ENV state of each stage and happens when stages are evaluated (stages/eval).
//
// Errors (unknown flags, bad values, wrong argument counts) are diagnostics at the offending
// flag or keyword; a broken instruction is dropped and the rest of the file is still read.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "syntax/ast.h"

namespace dfplay::ins {

using syntax::Keyword;
using syntax::Word;

struct KeyValue {
  Word key;
  Word value;             // empty text when !has_value
  bool has_value = true;  // ARG NAME without a default has no value
  bool legacy = false;    // `ENV key value` (no '=')
};

enum class MountType : uint8_t { Bind, Cache, Tmpfs, Secret, Ssh };
enum class Sharing : uint8_t { Shared, Private, Locked };

// One `RUN --mount=...`. Values are raw (BuildKit expands them with the stage's env).
struct Mount {
  MountType type = MountType::Bind;
  std::string from, source, target, id, env;
  Sharing sharing = Sharing::Shared;
  bool sharing_set = false;
  bool readonly = true;  // BuildKit: bind/secret/ssh default read-only, cache/tmpfs read-write
  bool required = false;
  std::optional<uint32_t> mode, uid, gid;
  std::optional<uint64_t> size;
  std::string spec;  // the flag value as written
  Range range;       // the --mount flag
};

struct InlineSource {  // a heredoc used as a COPY/ADD source (`COPY <<EOF /dest`)
  std::string name;
  std::string content;
  bool expand = true;
};

struct From {
  Word image;                   // raw reference, may contain ${ARG}
  std::optional<Word> name;     // AS name (as written; `stage_name` is lower-cased)
  std::string stage_name;       // lower case, "" when unnamed
  std::optional<Word> as_word;  // the "AS" keyword as written (FromAsCasing)
  std::optional<Word> platform;  // --platform value with the flag's range
};

struct ShellCommandLine {  // RUN, CMD, ENTRYPOINT
  std::vector<Word> args;  // exec form: the array; shell form: one word, the command line
  bool json = false;       // exec form (no shell prepended)
  std::vector<syntax::Heredoc> files;  // RUN heredocs
};

struct Run : ShellCommandLine {
  std::vector<Mount> mounts;
  std::string network = "default";  // default | none | host
  std::string security = "sandbox";  // sandbox | insecure
  std::optional<Range> network_range, security_range;
};
struct Cmd : ShellCommandLine {};
struct Entrypoint : ShellCommandLine {};

struct CopyFlags {
  std::optional<Word> from, chown, chmod, checksum;
  bool link = false;
  bool parents = false;
  bool keep_git_dir = false;
  std::vector<Word> excludes;
};

struct Copy : CopyFlags {
  std::vector<Word> sources;  // paths, URLs, globs (raw)
  std::vector<InlineSource> inline_sources;
  Word dest;
};
struct Add : Copy {};

struct Env {
  std::vector<KeyValue> pairs;
};
struct Label {
  std::vector<KeyValue> pairs;
};
struct Arg {
  std::vector<KeyValue> pairs;
};
struct Expose {
  std::vector<Word> ports;
};
struct Volume {
  std::vector<Word> paths;
  bool json = false;
};
struct User {
  Word user;
};
struct Workdir {
  Word path;
};
struct StopSignal {
  Word signal;
};
struct Maintainer {
  Word name;
};
struct Shell {
  std::vector<Word> args;
};

struct Healthcheck {
  bool none = false;
  std::vector<std::string> test;  // ["CMD", ...] or ["CMD-SHELL", "..."] or ["NONE"]
  // Durations in nanoseconds; 0 = not set (Docker's defaults apply).
  int64_t interval_ns = 0, timeout_ns = 0, start_period_ns = 0, start_interval_ns = 0;
  int retries = 0;
};

struct Onbuild {
  std::string expression;  // the trigger instruction's text
  Keyword trigger = Keyword::Unknown;
};

using Command = std::variant<From, Run, Cmd, Label, Maintainer, Expose, Env, Add, Copy, Entrypoint,
                             Volume, User, Workdir, Arg, Onbuild, StopSignal, Healthcheck, Shell>;

struct Instruction {
  Keyword keyword = Keyword::Unknown;
  const syntax::Node* node = nullptr;  // the AST node (the AST must outlive the Program)
  Command command;

  Range range() const { return node ? node->range : Range{}; }
  uint32_t line() const { return node ? node->range.begin.line : 0; }
  template <class T>
  const T* as() const { return std::get_if<T>(&command); }
};

struct Stage {
  size_t index = 0;
  Instruction from;                   // the FROM instruction (command holds ins::From)
  std::vector<Instruction> commands;  // everything after FROM up to the next FROM

  const From& base() const { return std::get<From>(from.command); }
  const std::string& name() const { return base().stage_name; }
};

struct Program {
  std::vector<Instruction> meta_args;  // ARGs before the first FROM
  std::vector<Stage> stages;
  Diagnostics diagnostics;
};

// Turns the AST into typed instructions grouped by stage. Reads only `df.nodes`; the Program
// points into `df`, which must outlive it. Parse diagnostics of `df` are not copied.
Program build_program(const syntax::Dockerfile& df);

// build_program in pieces (the app analyses a big file in short slices): the same Program, however
// the nodes are cut.
//   ProgramBuilder b(df);  while (!b.step(1000)) { ... }  Program p = b.take();
class ProgramBuilder {
 public:
  explicit ProgramBuilder(const syntax::Dockerfile& df);
  bool step(size_t nodes);  // turns up to `nodes` more nodes into instructions; true once all are done
  Program take() { return std::move(p_); }

 private:
  const syntax::Dockerfile& df_;
  Program p_;
  std::vector<size_t> per_stage_;  // instructions per stage, to reserve each stage's list
  size_t next_ = 0;                // the next node
};

// One instruction (also used for ONBUILD triggers). Errors go to `diags`; nullopt on error.
std::optional<Instruction> parse_instruction(const syntax::Node& node, Diagnostics& diags);

// Go's time.ParseDuration subset used by HEALTHCHECK flags ("30s", "1m30s", "1.5h", "300ms").
std::optional<int64_t> parse_go_duration(std::string_view s);

std::string_view mount_type_name(MountType t);

}  // namespace dfplay::ins
