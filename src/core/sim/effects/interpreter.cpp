// The symbolic shell interpreter: runs the parsed script (sim/shell/split.h) node by node,
// expands words, looks commands up in the registry and dispatches them.
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects.h"
#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim::detail {

// ---- execution ----

namespace {
constexpr uint32_t kMaxSteps = 5000;
constexpr int kMaxScriptDepth = 8;

const Registry& registry() {
  static const Registry r = [] {
    Registry x;
    register_builtins(x);
    register_fs(x);
    register_make(x);
    register_node_compile(x);
    register_fetch(x);
    register_users(x);
    register_node(x);
    register_go(x);
    register_python(x);
    register_pkg(x);
    register_build(x);
    register_jvm(x);
    return x;
  }();
  return r;
}
}  // namespace

Handler Ctx::handler(std::string_view name) {
  const auto& m = registry().map;
  auto it = m.find(name);
  return it == m.end() ? nullptr : it->second;
}

std::vector<std::string> Ctx::expand_glob(const std::string& pattern) const {
  // Segment by segment from the root or the working directory. Each candidate keeps its
  // absolute path (to look it up) and the text the shell prints: the pattern's own segments as
  // written (`..`, `./`) and the matched names, so `../*.jar` gives `../app.jar`.
  struct Candidate {
    std::string abs, shown;
  };
  std::vector<Candidate> current;
  bool absolute = !pattern.empty() && pattern[0] == '/';
  current.push_back({absolute ? "/" : cwd, absolute ? "/" : ""});
  size_t i = absolute ? 1 : 0;
  auto join = [](const std::string& shown, std::string_view name) {
    std::string out = shown;
    if (!out.empty() && out.back() != '/') out += '/';
    out += name;
    return out;
  };
  while (i <= pattern.size() && !current.empty()) {
    size_t slash = pattern.find('/', i);
    if (slash == std::string::npos) slash = pattern.size();
    std::string_view seg(pattern.data() + i, slash - i);
    i = slash + 1;
    if (seg.empty()) continue;
    bool magic = sh::has_glob_magic(seg);
    std::vector<Candidate> next;
    for (const auto& dir : current) {
      if (!magic) {
        std::string lit;
        for (size_t k = 0; k < seg.size(); ++k) {
          if (seg[k] == '\\' && k + 1 < seg.size()) ++k;
          lit += seg[k];
        }
        std::string p = clean_abs(lit, dir.abs);
        if (fs.exists(p)) next.push_back({std::move(p), join(dir.shown, lit)});
        continue;
      }
      if (!fs.is_dir(dir.abs)) continue;
      for (const auto& name : fs.children(dir.abs))
        if (sh::glob_match(seg, name)) next.push_back({clean_abs(name, dir.abs), join(dir.shown, name)});
    }
    current = std::move(next);
    if (current.size() > 4096) current.resize(4096);
  }
  std::vector<std::string> out;
  out.reserve(current.size());
  for (auto& c : current) out.push_back(std::move(c.shown));
  std::sort(out.begin(), out.end());
  return out;
}

void Ctx::expand_words(const std::vector<sh::Word>& words, Inv& inv) {
  std::vector<sh::Field> fields = std::move(fields_scratch);  // (keeps its capacity)
  inv.argv.reserve(inv.argv.size() + words.size());
  for (const auto& w : words) {
    fields.clear();
    sh::expand(w.text, *this, fields);
    for (auto& f : fields) {
      if (f.dynamic) inv.dynamic = true;
      // Inv::globs stays empty until an argument comes from a glob (see Inv::glob).
      if (f.glob && !f.dynamic) {
        auto matches = expand_glob(f.pattern);
        if (!matches.empty()) {
          inv.globs.resize(inv.argv.size());
          for (auto& m : matches) {
            inv.argv.push_back(std::move(m));
            inv.globs.push_back(f.pattern);
          }
          continue;
        }
      }
      inv.argv.push_back(std::move(f.value));
      if (f.glob) {
        inv.globs.resize(inv.argv.size() - 1);
        inv.globs.push_back(std::move(f.pattern));
      } else if (!inv.globs.empty()) {
        inv.globs.emplace_back();
      }
    }
  }
  fields.clear();
  fields_scratch = std::move(fields);
}

namespace {

std::string_view base_of(std::string_view p) {
  size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

}  // namespace

int Ctx::run_argv(std::vector<std::string> argv, const Stream* in_stream, Stream* out_stream) {
  if (argv.empty()) return 0;
  Inv inv;
  inv.argv = std::move(argv);
  inv.in = in_stream;
  inv.name = base_of(inv.argv[0]);
  inv.out.kind = Stream::Kind::Unknown;
  int status = 0;
  auto fn = functions.find(inv.argv[0]);
  if (fn != functions.end() && depth < kMaxScriptDepth) {
    ++depth;
    status = exec(*fn->second.first, fn->second.second, in_stream, out_stream);
    --depth;
    return status;
  }
  status = dispatch(inv);
  if (out_stream) *out_stream = std::move(inv.out);
  return status;
}

std::string Ctx::unmodelled_writer() const {
  if (!eff.unknown_commands.empty()) return eff.unknown_commands.back() + " (earlier in this RUN)";
  if (!in.unmodelled_before.empty()) return in.unmodelled_before.back();
  return {};
}

bool Ctx::unknown_input(std::string_view command, std::string_view path) {
  std::string w = unmodelled_writer();
  if (w.empty()) return false;
  unknown(command, fmt::format("reads {}, which the simulation does not have: it may come from the unmodelled "
                               "step {}; the result could not be checked",
                               path, w));
  return true;
}

bool Ctx::maybe_exists(std::string_view path) const {
  if (fs.exists(path)) return true;
  if (!unmodelled_writer().empty()) return true;
  std::string_view p = path;
  while (p != "/") {
    p = parent_path(p);
    const FileNode* n = fs.find(p);
    if (n) return n->summary || !n->is_dir();
  }
  return false;
}

int Ctx::dispatch(Inv& inv) {
  struct Current {  // the command being dispatched, restored after nested scripts
    Ctx& c;
    const Inv* saved;
    ~Current() { c.current = saved; }
  } restore{*this, current};
  current = &inv;
  if (Handler h = handler(inv.name)) return h(*this, inv);
  const std::string& cmd = inv.argv[0];
  if (cmd.find('/') != std::string::npos && !inv.dynamic) {
    std::string p = abs(cmd);
    const FileNode* f = fs.find(p);
    if (f && f->content) {
      std::string_view text = *f->content;
      bool shell = text.rfind("#!", 0) != 0 || text.rfind("#!/bin/sh", 0) == 0 ||
                   text.rfind("#!/bin/bash", 0) == 0 || text.rfind("#!/usr/bin/env bash", 0) == 0 ||
                   text.rfind("#!/usr/bin/env sh", 0) == 0 || text.rfind("#!/bin/ash", 0) == 0;
      if (shell) {
        key(f->hash);
        if ((f->mode & 0111) == 0) {
          fail(fmt::format("{}: permission denied (the file is not executable: chmod +x, or run it with sh)", cmd));
          return 126;
        }
        return run_script(text);
      }
    }
    if (!f && !maybe_exists(p)) {
      fail(fmt::format("{}: not found", cmd));
      return 127;
    }
  }
  unknown(cmd);
  return 0;
}

namespace {
// Parsed scripts are immutable: keep the recent ones (RUN lines and package.json scripts are
// simulated again and again while the user edits). Two generations of up to kScripts each: a
// script found in the older one moves to the current one; when the current one is full it
// becomes the older one (so a file with more scripts than kScripts does not evict its own
// scripts on every simulation, and memory stays bounded).
// Each generation is also bounded by the bytes of script text it holds (kBytes): a parsed script
// takes about 23 times its text, and 1,024 distinct 60 KB scripts (the fuzzers' inputs, or long
// edits of a big RUN) held 1.4 GB before (issue 15).
struct ScriptCache {
  static constexpr size_t kScripts = 512;
  static constexpr size_t kBytes = size_t{1} << 20;
  std::unordered_map<uint64_t, std::shared_ptr<const sh::Script>> now, before;
  size_t now_bytes = 0;
};
ScriptCache& script_cache() {
  static thread_local ScriptCache cache;
  return cache;
}
}  // namespace

std::shared_ptr<const sh::Script> parse_cached(std::string_view text) {
  auto& c = script_cache();
  uint64_t key = hash_combine(content_hash(text), text.size());
  if (auto it = c.now.find(key); it != c.now.end()) return it->second;
  std::shared_ptr<const sh::Script> script;
  if (auto it = c.before.find(key); it != c.before.end()) script = it->second;
  else script = std::make_shared<const sh::Script>(sh::parse(text));
  if (c.now.size() >= ScriptCache::kScripts || c.now_bytes >= ScriptCache::kBytes) {
    c.before = std::move(c.now);
    c.now.clear();
    c.now_bytes = 0;
  }
  c.now.emplace(key, script);
  c.now_bytes += text.size();
  return script;
}

int Ctx::run_script(std::string_view text) {
  if (depth >= kMaxScriptDepth) {
    note("scripts nested too deeply: not simulated further");
    key_unknown = true;
    return 0;
  }
  auto script = parse_cached(text);
  if (!script->ok()) fail(fmt::format("sh: {}", script->problems.front().message));
  scripts.push_back(script);  // functions it defines point into it
  ++depth;
  int status = exec(*script, script->root);
  --depth;
  return status;
}

int Ctx::exec_list(const sh::Script& s, const sh::Node& n, const Stream* in_stream, Stream* out) {
  int status = 0;
  for (size_t k = 0; k < n.kids.size(); ++k) status = exec(s, n.kids[k], in_stream, out);
  return status;
}

int Ctx::exec(const sh::Script& s, uint32_t idx, const Stream* in_stream, Stream* out) {
  if (idx >= s.nodes.size()) return 0;
  const sh::Node& n = s.nodes[idx];
  switch (n.kind) {
    case sh::NodeKind::Simple:
      return exec_simple(s, n, in_stream, out);
    case sh::NodeKind::List:
      return exec_list(s, n, in_stream, out);
    case sh::NodeKind::AndOr: {
      int status = exec(s, n.kids[0], in_stream, out);
      for (size_t k = 1; k < n.kids.size(); ++k) {
        sh::Sep op = n.seps[k - 1];
        if ((op == sh::Sep::And && status == 0) || (op == sh::Sep::Or && status != 0))
          status = exec(s, n.kids[k], in_stream, out);
      }
      return status;
    }
    case sh::NodeKind::Pipeline: {
      Stream a, b;
      const Stream* cur_in = in_stream;
      int status = 0;
      for (size_t k = 0; k < n.kids.size(); ++k) {
        bool last = k + 1 == n.kids.size();
        Stream* target = last ? out : (k % 2 == 0 ? &a : &b);
        if (target && target != out) *target = Stream{};
        status = exec(s, n.kids[k], cur_in, target);
        cur_in = target;
      }
      if (n.negate) status = status == 0 ? 1 : 0;
      return status;
    }
    case sh::NodeKind::Subshell: {
      std::string saved_cwd = cwd;
      auto saved_vars = vars;
      int status = n.kids.empty() ? 0 : exec(s, n.kids[0], in_stream, out);
      cwd = std::move(saved_cwd);
      vars = std::move(saved_vars);
      return status;
    }
    case sh::NodeKind::Group:
      return n.kids.empty() ? 0 : exec(s, n.kids[0], in_stream, out);
    case sh::NodeKind::If: {
      size_t k = 0;
      while (k + 1 < n.kids.size()) {
        int cond = exec(s, n.kids[k], in_stream, nullptr);
        if (cond == 0) return exec(s, n.kids[k + 1], in_stream, out);
        k += 2;
      }
      if (n.has_else && k < n.kids.size()) return exec(s, n.kids[k], in_stream, out);
      return 0;
    }
    case sh::NodeKind::For: {
      Inv items;
      if (n.has_in) {
        expand_words(n.items, items);
      }
      std::string var = n.name.text;
      int status = 0;
      size_t count = 0;
      for (auto& item : items.argv) {
        if (++count > 64) {
          note("for loop: only the first 64 items simulated");
          break;
        }
        setenv(var, item);
        if (!n.kids.empty()) status = exec(s, n.kids[0], in_stream, out);
      }
      if (items.dynamic) note("for loop over a command substitution: items unknown, body simulated once");
      if (items.argv.empty() && items.dynamic && !n.kids.empty()) status = exec(s, n.kids[0], in_stream, out);
      return status;
    }
    case sh::NodeKind::While:
    case sh::NodeKind::Until: {
      // Loops are not iterated: the condition and the body run once.
      note("while/until loop: simulated once");
      int cond = n.kids.empty() ? 1 : exec(s, n.kids[0], in_stream, nullptr);
      bool enter = n.kind == sh::NodeKind::While ? cond == 0 : cond != 0;
      if (enter && n.kids.size() > 1) return exec(s, n.kids[1], in_stream, out);
      return 0;
    }
    case sh::NodeKind::Case: {
      bool dyn = false;
      std::string subject = sh::expand_one(n.name.text, *this, &dyn);
      for (size_t arm = 0; arm < n.patterns.size() && arm < n.kids.size(); ++arm) {
        for (const auto& p : n.patterns[arm]) {
          std::vector<sh::Field> f;
          sh::expand(p.text, *this, f);
          std::string pat = f.empty() ? std::string() : (f[0].glob ? f[0].pattern : f[0].value);
          if (sh::glob_match(pat, subject) || (pat == "*")) {
            if (dyn) note("case on a command substitution: first matching arm assumed");
            return exec(s, n.kids[arm], in_stream, out);
          }
        }
      }
      return 0;
    }
    case sh::NodeKind::Function:
      if (!n.kids.empty()) functions[n.name.text] = {&s, n.kids[0]};
      return 0;
  }
  return 0;
}

int Ctx::exec_simple(const sh::Script& s, const sh::Node& n, const Stream* in_stream, Stream* out) {
  if (++steps > kMaxSteps) {
    if (steps == kMaxSteps + 1) note("too many commands: the rest is not simulated");
    key_unknown = true;
    return 0;
  }
  const sh::SimpleCommand& c = n.cmd;
  // Assignments.
  std::vector<std::pair<std::string, std::string>> assigns;
  bool assign_dynamic = false;
  for (const auto& a : c.assigns) {
    bool dyn = false;
    std::string v = sh::expand_one(sh::assignment_value(a.text), *this, &dyn);
    assign_dynamic |= dyn;
    assigns.emplace_back(std::string(sh::assignment_name(a.text)), std::move(v));
  }
  Inv inv;
  expand_words(c.words, inv);
  Redirections r;
  redirect(s, c, r);
  const Stream* stdin_stream = r.has_in ? &r.in : in_stream;
  if (inv.argv.empty()) {
    assign_only(c, assigns, assign_dynamic, r.out_file);
    return 0;
  }

  // Prefix assignments apply to this command only.
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  for (auto& [k, v] : assigns) {
    const std::string* old = get(k);
    saved.emplace_back(k, old ? std::optional<std::string>(*old) : std::nullopt);
    setenv(k, std::move(v));
  }

  inv.in = stdin_stream;
  inv.name = base_of(inv.argv[0]);
  inv.out.kind = Stream::Kind::Unknown;
  key_argv(inv);
  int status = 0;
  auto fn = functions.find(inv.argv[0]);
  if (fn != functions.end() && depth < kMaxScriptDepth) {
    ++depth;
    for (size_t k = 1; k < inv.argv.size() && k < 10; ++k) setenv(std::to_string(k), inv.argv[k]);
    status = exec(*fn->second.first, fn->second.second, stdin_stream, r.out_file.empty() ? out : nullptr);
    --depth;
  } else {
    status = dispatch(inv);
  }

  // Standard output, standard error.
  if (!r.out_file.empty() && !on_mount(r.out_file)) {
    write_stdout(inv, r);
  } else if (out && !r.stdout_discarded) {
    *out = std::move(inv.out);
  }
  for (const auto& ef : r.err_files)
    if (!on_mount(ef) && !fs.exists(ef)) write_unknown(ef, 0, "stderr output (not modelled)", true);

  for (auto& [k, v] : saved) {
    if (v)
      setenv(k, std::move(*v));
    else
      unsetenv(k);
  }
  return status;
}

// The redirections of a simple command, in order (a later one of the same stream wins): stdin
// from a heredoc, a here-string or a file; stdout to a file or discarded; stderr files.
void Ctx::redirect(const sh::Script& s, const sh::SimpleCommand& c, Redirections& r) {
  for (const auto& rd : c.redirects) {
    int fd = rd.target_fd();
    switch (rd.op) {
      case sh::RedirOp::Heredoc: {
        if (fd != 0 || rd.heredoc < 0) break;
        const auto& hd = s.heredocs[static_cast<size_t>(rd.heredoc)];
        r.in = Stream{};
        r.in.kind = Stream::Kind::Text;
        bool dyn = false;
        r.in.text = hd.expand ? sh::expand_heredoc(hd.body, *this, &dyn) : hd.body;
        if (dyn) r.in.reproducible = r.in.text.find("$(date") == std::string::npos;
        r.has_in = true;
        break;
      }
      case sh::RedirOp::HereString: {
        r.in = Stream{};
        r.in.kind = Stream::Kind::Text;
        r.in.text = sh::expand_one(rd.target.text, *this) + "\n";
        r.has_in = true;
        break;
      }
      case sh::RedirOp::In: {
        std::string p = abs(sh::expand_one(rd.target.text, *this));
        r.in = Stream{};
        const FileNode* f = fs.find(p);
        if (f && f->content) {
          r.in.kind = Stream::Kind::Text;
          r.in.text = *f->content;
          key(f->hash);
        } else {
          r.in.kind = Stream::Kind::Unknown;
          if (f) key(f->hash);
        }
        r.has_in = true;
        break;
      }
      case sh::RedirOp::Out:
      case sh::RedirOp::Append:
      case sh::RedirOp::OutErr:
      case sh::RedirOp::AppendOutErr: {
        std::string target = sh::expand_one(rd.target.text, *this);
        bool app = rd.op == sh::RedirOp::Append || rd.op == sh::RedirOp::AppendOutErr;
        if (fd == 1 || rd.op == sh::RedirOp::OutErr || rd.op == sh::RedirOp::AppendOutErr) {
          if (target.rfind("/dev/", 0) == 0) {
            r.stdout_discarded = true;
            r.out_file.clear();
          } else {
            r.out_file = abs(target);
            r.append = app;
            r.stdout_discarded = false;
          }
        } else if (target.rfind("/dev/", 0) != 0) {
          r.err_files.push_back(abs(target));
        }
        break;
      }
      case sh::RedirOp::DupOut:
      case sh::RedirOp::DupIn:
      case sh::RedirOp::ReadWrite:
        break;
    }
  }
}

// A command of assignments only (`A=1 B=2`, maybe with a redirection): shell variables (exported
// or not makes no difference here).
void Ctx::assign_only(const sh::SimpleCommand& c, std::vector<std::pair<std::string, std::string>>& assigns,
                      bool assign_dynamic, const std::string& out_file) {
  for (auto& [k, v] : assigns) setenv(k, std::move(v));
  if (!out_file.empty()) {
    write_text(out_file, "");
    key(out_file);
  }
  if (assign_dynamic) {
    for (const auto& a : c.assigns)
      if (a.text.find("$(date") != std::string::npos || a.text.find("`date") != std::string::npos)
        key_unknown = true;  // a clock value may end up in files
  }
}

// A command's stdout redirected to a file (not on a mount): its text, appended or not, or an
// unknown file (a download, an unmodelled command's output).
void Ctx::write_stdout(Inv& inv, const Redirections& r) {
  bool clock = mentions_clock(inv) || !inv.out.reproducible;
  if (clock) non_reproducible(fmt::format("{}: output depends on the clock", inv.argv[0]));
  if (inv.out.kind == Stream::Kind::Text) {
    std::string content = std::move(inv.out.text);
    if (r.append) {
      const FileNode* old = fs.find(r.out_file);
      if (old && old->content)
        content = *old->content + content;
      else if (old)
        content.clear();
      if (old && !old->content) {
        FileNode nn = *old;
        nn.size += inv.out.text.size();
        nn.hash = hash_combine(old->hash, content_hash(inv.out.text));
        nn.layer = layer;
        fs.put(r.out_file, std::move(nn));
      } else {
        write_text(r.out_file, std::move(content));
      }
    } else {
      write_text(r.out_file, std::move(content));
    }
  } else {
    if (inv.out.kind == Stream::Kind::Network) {
      output_unknown();
      write_unknown(r.out_file, mb(fig::download_default.value),
                    fmt::format("download from {} (size unknown; {})", inv.out.url, fig::download_default.source),
                    true, 0);
    } else {
      uint64_t h = keys.empty() ? 0 : keys.back();
      write_unknown(r.out_file, 0, fmt::format("output of `{}` (not modelled)", inv.argv[0]), true,
                    hash_combine(h, r.out_file));
    }
  }
}

}  // namespace dfplay::sim::detail

namespace dfplay::sim {

void clear_script_cache() {
  detail::script_cache().now.clear();
  detail::script_cache().before.clear();
}

}  // namespace dfplay::sim
