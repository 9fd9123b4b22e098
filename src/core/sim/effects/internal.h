// Internals shared by the RUN effect models (effects*.cpp). Not part of the public API.
#pragma once
#include <fmt/format.h>

#include <forward_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/accounts.h"
#include "sim/effects.h"
#include "sim/effects/figures.h"
#include "sim/shell/split.h"
#include "sim/vfs.h"

namespace dfplay::sim::detail {

// ---- the filesystem during one RUN: the base, the mounts, and this RUN's writes ----

class Overlay {
 public:
  Overlay(const Vfs& base, const std::vector<MountInfo>& mounts, std::string_view workdir);

  const FileNode* find(std::string_view path) const;
  bool exists(std::string_view p) const { return find(p) != nullptr; }
  bool is_dir(std::string_view p) const {
    auto* n = find(p);
    return n && n->is_dir();
  }
  // Creates or replaces `path`; missing parents are created as root-owned 0755 dirs.
  void put(const std::string& path, FileNode n);
  void mkdir_p(const std::string& path, uint32_t layer, uint32_t uid = 0, uint32_t gid = 0);
  // Removes path and its subtree; returns the visible bytes removed.
  uint64_t remove(const std::string& path);
  // Visits visible entries strictly below `dir` (or `dir` itself when it is not a directory).
  template <class F>
  void for_each_under(std::string_view dir, F&& f) const;
  uint64_t size_under(std::string_view path) const;
  // Names of the direct children of `dir`.
  std::vector<std::string> children(std::string_view dir) const;

  // The mount covering `path`, if any.
  const MountInfo* mount_at(std::string_view path) const;

  // Moves this RUN's writes out as changes (mount targets excluded; the overlay is emptied);
  // adds the bytes written to cache mounts to *cache_bytes.
  std::vector<FileChange> take_changes(uint64_t* cache_bytes);
  bool touched() const { return !over_.empty(); }

 private:
  struct Entry {
    bool removed = false;
    bool opaque = false;  // hides what the base has below this path
    bool fresh = false;   // a directory created by this RUN where nothing existed: nothing below it
    FileNode node;
  };
  const Vfs& base_;
  std::vector<MountInfo> mounts_;
  std::map<std::string, Entry, std::less<>> over_;
  bool hiding_ = false;  // some entry is removed or opaque

  bool hidden_in_base(std::string_view path) const;
  const FileNode* find_below_mounts(std::string_view path) const;
  template <class F>
  void base_range(std::string_view dir, F&& f) const;
};

// ---- streams between commands (pipes, redirections) ----

struct Stream {
  enum class Kind : uint8_t { None, Text, Network, Unknown };
  Kind kind = Kind::None;
  std::string text;  // Text
  std::string url;   // Network
  bool reproducible = true;
};

// One simple command being executed.
struct Inv {
  std::vector<std::string> argv;
  // argv[i]'s glob pattern ("" if none; already expanded). Empty when no argument came from a
  // glob, else one per argument: read it with glob(i).
  std::vector<std::string> globs;
  bool dynamic = false;             // some argument holds a command substitution
  const Stream* in = nullptr;       // stdin
  Stream out;                       // stdout produced
  std::string_view name;            // basename of argv[0]
  size_t first = 1;                 // index of the first argument (after e.g. `sudo`)

  std::string_view glob(size_t i) const { return i < globs.size() ? std::string_view(globs[i]) : std::string_view(); }
};

// The redirections of one simple command, applied (see Ctx::redirect).
struct Redirections {
  Stream in;                           // the stdin a redirection gives (when has_in)
  bool has_in = false;
  std::string out_file;                // stdout (and stderr for &>) to this file
  bool append = false;
  bool stdout_discarded = false;       // > /dev/...
  std::vector<std::string> err_files;  // 2> files
};

struct UserInfo {
  std::string name = "root";
  uint32_t uid = 0, gid = 0;
  std::string home = "/root";
};

class Ctx;
using Handler = int (*)(Ctx&, Inv&);

class Ctx : public sh::Env {
 public:
  Ctx(const RunInput& in, Effect& eff);

  const RunInput& in;
  Effect& eff;
  Overlay fs;
  std::vector<std::pair<std::string, std::string>> vars;
  std::string cwd;
  UserInfo user;
  uint32_t layer = 0;
  int depth = 0;            // nested scripts (npm run, sh -c, make)
  int npm_script = 0;       // inside an npm/yarn/pnpm script or npx: node_modules/.bin is on PATH
  uint32_t steps = 0;       // simple commands executed (bounded)
  std::vector<uint64_t> keys;
  bool key_unknown = false;
  double cold = 0, warm = 0;
  std::map<std::string, std::pair<const sh::Script*, uint32_t>, std::less<>> functions;
  std::vector<std::shared_ptr<const sh::Script>> scripts;  // kept alive for `functions`
  std::vector<sh::Field> fields_scratch;  // reused by expand_words

  // sh::Env
  const std::string* get(std::string_view name) const override;
  void setenv(std::string_view name, std::string value);
  void unsetenv(std::string_view name);

  std::string abs(std::string_view p) const { return clean_abs(p, cwd); }
  bool is_root() const { return user.uid == 0; }

  // Recording.
  void recognise(std::string tool, std::string summary, std::string source = {});
  void note(std::string text);
  void unknown(std::string_view command, std::string_view reason = {});
  void fail(std::string message);  // the real command would fail
  void time(double cold_s, double warm_s);
  void time(double s) { time(s, s); }
  void key(uint64_t k) { keys.push_back(k); }
  void key(std::string_view s) { keys.push_back(content_hash(s)); }
  void key_argv(const Inv& inv);   // the command line (after expansion) and the directory
  void output_unknown() { key_unknown = true; }
  void non_reproducible(std::string why);

  // Filesystem helpers (all stamp `layer`, owner = current user unless said otherwise).
  void write_text(const std::string& path, std::string content, uint32_t mode = 0644);
  void write_unknown(const std::string& path, uint64_t size, std::string source, bool estimated,
                     uint64_t hash = 0);
  void put_summary(const std::string& path, uint64_t size, uint64_t identity, std::string source,
                   bool estimated = true);
  void mkdir(const std::string& path);
  uint64_t remove(const std::string& path) { return fs.remove(path); }
  // Writes under a cache/tmpfs mount (go to the cache, not the layer)?
  bool on_mount(std::string_view path) const { return fs.mount_at(path) != nullptr; }
  bool on_cache_mount(std::string_view path) const;

  // Hash of the visible subtree (paths + content hashes), optionally filtered.
  template <class Pred>
  uint64_t tree_hash(std::string_view dir, Pred keep) const;
  uint64_t node_hash(std::string_view path) const {
    auto* n = fs.find(path);
    return n ? hash_combine(n->hash, n->size) : 0;
  }

  // Runs a script (npm run scripts, sh -c, make recipes) in this context.
  int run_script(std::string_view text);
  int run_argv(std::vector<std::string> argv, const Stream* in = nullptr, Stream* out = nullptr);

  // Home of a user name ("" = current).
  std::string home_of(std::string_view name) const;
  // Looks a command name up: shell builtin or recognised tool.
  static Handler handler(std::string_view name);
  // Runs one command: a recognised tool, a shell script file, or an unknown command.
  int dispatch(Inv& inv);
  // True if `path` exists, or may exist inside a summary (a base image directory), or may have
  // been written by a command whose effect is not modelled (see unmodelled_writer).
  bool maybe_exists(std::string_view path) const;
  // The unmodelled command that could have written a path missing from the model: the last
  // unknown command of this RUN, else of an earlier step (RunInput::unmodelled_before); "" if
  // every command so far is modelled (then a missing path is really missing).
  std::string unmodelled_writer() const;
  // A command reads `path`, which the model lacks but an unmodelled command may have written:
  // records it as unknown (the result could not be checked) and returns true; false if nothing
  // could have written it (the caller reports the real failure).
  bool unknown_input(std::string_view command, std::string_view path);
  const Inv* current = nullptr;  // the command being dispatched (for unknown_paths)

  // Executes a parsed script node.
  int exec(const sh::Script& s, uint32_t node, const Stream* in = nullptr, Stream* out = nullptr);

 private:
  int exec_simple(const sh::Script& s, const sh::Node& n, const Stream* in, Stream* out);
  // exec_simple's parts: the redirections, a command of assignments only, the stdout written to
  // a file.
  void redirect(const sh::Script& s, const sh::SimpleCommand& c, Redirections& r);
  void assign_only(const sh::SimpleCommand& c, std::vector<std::pair<std::string, std::string>>& assigns,
                   bool assign_dynamic, const std::string& out_file);
  void write_stdout(Inv& inv, const Redirections& r);
  int exec_list(const sh::Script& s, const sh::Node& n, const Stream* in, Stream* out);
  void expand_words(const std::vector<sh::Word>& words, Inv& inv);
  std::vector<std::string> expand_glob(const std::string& pattern) const;
};

// A parsed script, cached by content.
std::shared_ptr<const sh::Script> parse_cached(std::string_view text);

// ---- registration of tool families ----

struct Registry {
  std::unordered_map<std::string_view, Handler> map;
  void add(std::string_view name, Handler h) { map[name] = h; }
};
void register_builtins(Registry& r);
void register_fs(Registry& r);
void register_make(Registry& r);  // make.cpp
void register_node_compile(Registry& r);  // node_compile.cpp
void register_fetch(Registry& r);  // fetch.cpp
void register_users(Registry& r);  // users.cpp
void register_node(Registry& r);
void register_go(Registry& r);
void register_python(Registry& r);
void register_pkg(Registry& r);
void register_build(Registry& r);
void register_jvm(Registry& r);  // effects/jvm.cpp: jar, java -jar (Spring Boot extract), zip

// ---- argument helpers ----

// Options of a command line: `-o X`, `-oX`, `--out X`, `--out=X`, bundled short flags `-xzf`.
struct Args {
  std::forward_list<std::string> owned;  // storage for split bundled flags (nodes never move)
  std::vector<std::string_view> positional;
  std::vector<std::pair<std::string_view, std::string_view>> options;  // (name, value or "")
  bool has(std::string_view name) const;
  std::optional<std::string_view> value(std::string_view name) const;
  std::optional<std::string_view> value(std::string_view a, std::string_view b) const {
    auto v = value(a);
    return v ? v : value(b);
  }
};
// `takes_value` lists the options that take a value ("-o", "--output"...). Short options not
// listed are boolean flags (and may be bundled).
Args parse_args(const Inv& inv, std::initializer_list<std::string_view> takes_value,
                size_t first = 0);
// Whether the command's words read the clock or a random source ($(date, `date, $RANDOM,
// $(uuidgen): its output is not reproducible.
bool mentions_clock(const Inv& inv);
// The nearest summary ancestor of a path that does not exist (a base-image directory); its path
// in `where` (effects/fs.cpp).
const FileNode* summary_ancestor(const Ctx& c, std::string_view path, std::string* where = nullptr);
// Visits (name, id) for every "name:x:id:..." line of an /etc/passwd- or /etc/group-style file in
// the stage filesystem (lines without an id field are skipped); stops when `f` returns false.
template <class F>
inline void for_each_id_record(const Ctx& c, std::string_view file, F f) {
  const FileNode* n = c.fs.find(file);
  if (!n || !n->content) return;
  for_each_account_line(*n->content, [&](const AccountLine& l) {
    uint32_t id;
    if (l.count < 4 || !l.id(id)) return true;
    return f(l.name(), id);
  });
}

// Resolves "user[:group]" to ids through /etc/passwd and /etc/group when known.
bool lookup_id(const Ctx& c, std::string_view file, std::string_view name, uint32_t& id);
// Node.js (effects/node.cpp): the directory holding package.json (cwd or the nearest parent with
// one), and a JS tool that must exist (records a failure and returns false if certainly missing).
std::string project_dir(const Ctx& c, std::string_view start);
bool require_bin(Ctx& c, std::string_view bin);

std::string human_size(uint64_t bytes);  // "21.1 MB"
uint64_t mb(double bytes);               // rounding helper

// ---- manifests (cached by content hash) ----

struct PackageJson {
  bool valid = false;
  std::string name, version;
  std::vector<std::string> deps, dev_deps, optional_deps;
  std::vector<std::pair<std::string, std::string>> scripts;
  std::string package_manager;  // "packageManager" field
  const std::string* script(std::string_view name) const;
};
struct PackageLock {
  bool valid = false;
  size_t packages = 0, dev_packages = 0;  // entries under "packages" (not the root)
};
struct TsConfig {
  bool valid = false;
  std::string out_dir, root_dir, extends;
  std::vector<std::string> include, exclude, files;
  bool declaration = false, source_map = false, no_emit = false, composite = false;
};
struct GoMod {
  bool valid = false;
  std::string module, go_version;
  size_t direct = 0, indirect = 0;
  bool has_replace_local = false;
};
struct Requirements {
  std::vector<std::string> names;  // lower-cased distribution names
  std::vector<std::string> nested;  // -r other.txt
  bool has_editable = false;
};
struct CsProj {
  std::string assembly, sdk, target_framework;
  std::vector<std::string> packages;
  bool self_contained = false, trimmed = false, aot = false, single_file = false;
};
struct CargoToml {
  std::string name;
  size_t deps = 0;
  bool strip = false, lto = false;
  std::vector<std::string> bins;
};
struct PomXml {
  std::string artifact, version, packaging = "jar";
  std::string final_name;  // <build><finalName> with ${...} expanded ("" when absent)
  size_t deps = 0;
  bool spring_boot = false;
};

std::shared_ptr<const PackageJson> parse_package_json(const FileNode& n);
std::shared_ptr<const PackageLock> parse_package_lock(const FileNode& n);
std::shared_ptr<const TsConfig> parse_tsconfig(const FileNode& n);
std::shared_ptr<const GoMod> parse_go_mod(const FileNode& n);
std::shared_ptr<const Requirements> parse_requirements(const FileNode& n);
std::shared_ptr<const CsProj> parse_csproj(const FileNode& n, std::string_view file_name);
std::shared_ptr<const CargoToml> parse_cargo_toml(const FileNode& n);
std::shared_ptr<const PomXml> parse_pom(const FileNode& n);

// ---- template definitions ----

template <class F>
void Overlay::base_range(std::string_view dir, F&& f) const {
  const auto& e = base_.entries();
  auto first = e.lower_bound(subtree_begin(dir));
  auto last = e.lower_bound(subtree_end(dir));
  for (auto it = first; it != last; ++it) f(it->first, it->second);
}

template <class F>
void Overlay::for_each_under(std::string_view dir, F&& f) const {
  const FileNode* self = find(dir);
  if (!self) return;
  if (!self->is_dir()) {
    f(std::string(dir), *self);
    return;
  }
  bool plain = mounts_.empty() && !hiding_;
  if (plain) {
    // Fast path: merge two sorted ranges; the overlay wins on equal paths.
    const auto& be = base_.entries();
    auto bi = be.lower_bound(subtree_begin(dir)), bend = be.lower_bound(subtree_end(dir));
    auto oi = over_.lower_bound(subtree_begin(dir)), oend = over_.lower_bound(subtree_end(dir));
    while (bi != bend || oi != oend) {
      if (oi == oend || (bi != bend && bi->first < oi->first)) {
        f(bi->first, bi->second);
        ++bi;
      } else {
        if (bi != bend && bi->first == oi->first) ++bi;
        f(oi->first, oi->second.node);
        ++oi;
      }
    }
    return;
  }
  // General path: collect visible entries in a sorted map.
  std::map<std::string, const FileNode*, std::less<>> all;
  base_range(dir, [&](const std::string& p, const FileNode& n) {
    if (!hidden_in_base(p) && !mount_at(p)) all[p] = &n;
  });
  for (const auto& m : mounts_) {
    if (m.kind != MountInfo::Kind::Bind || !m.source_fs) continue;
    if (!is_within(m.target, dir) && !is_within(dir, m.target)) continue;
    std::string src_dir = is_within(dir, m.target)
                              ? clean_abs(relative_to(dir, m.target), m.source)
                              : m.source;
    auto emit = [&](const std::string& p, const FileNode& n) {
      std::string rel(relative_to(p, m.source));
      std::string mapped = rel.empty() ? m.target : clean_abs(rel, m.target);
      if (is_within(mapped, dir) && mapped != dir) all[mapped] = &n;
    };
    if (const FileNode* root = m.source_fs->find(src_dir)) {
      if (is_within(m.target, dir) && m.target != dir) all[m.target] = root;
      m.source_fs->for_each_under(src_dir, emit);
    }
  }
  auto oi = over_.lower_bound(subtree_begin(dir)), oend = over_.lower_bound(subtree_end(dir));
  for (; oi != oend; ++oi) {
    if (oi->second.removed) {
      // Hide this path and its subtree.
      all.erase(all.lower_bound(subtree_begin(oi->first)), all.lower_bound(subtree_end(oi->first)));
      all.erase(oi->first);
      continue;
    }
    if (oi->second.opaque)
      all.erase(all.lower_bound(subtree_begin(oi->first)), all.lower_bound(subtree_end(oi->first)));
    all[oi->first] = &oi->second.node;
  }
  for (const auto& [p, n] : all) f(p, *n);
}

template <class Pred>
uint64_t Ctx::tree_hash(std::string_view dir, Pred keep) const {
  uint64_t h = content_hash(dir);
  fs.for_each_under(dir, [&](const std::string& p, const FileNode& n) {
    if (!keep(p, n)) return;
    h = hash_combine(h, relative_to(p, dir));
    h = hash_combine(h, n.hash ^ (static_cast<uint64_t>(n.mode) << 1) ^ n.size);
  });
  return h;
}

}  // namespace dfplay::sim::detail
