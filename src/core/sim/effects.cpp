// The RUN effect engine: the overlay filesystem, the symbolic shell executor, the shell builtins
// and simulate_run(). Tool families live in effects_*.cpp.
#include "sim/effects.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects_internal.h"
#include "units.h"

namespace dfplay::sim {
namespace detail {

// ====================================================================================
// Overlay
// ====================================================================================

Overlay::Overlay(const Vfs& base, const std::vector<MountInfo>& mounts, std::string_view workdir)
    : base_(base), mounts_(mounts) {
  for (auto& m : mounts_) {
    m.target = clean_abs(m.target, workdir);
    m.source = clean_abs(m.source, "/");
  }
}

const MountInfo* Overlay::mount_at(std::string_view path) const {
  const MountInfo* best = nullptr;
  for (const auto& m : mounts_)
    if (is_within(path, m.target) && (!best || m.target.size() >= best->target.size())) best = &m;
  return best;
}

bool Overlay::hidden_in_base(std::string_view path) const {
  if (!hiding_) return false;
  std::string_view p = path;
  while (p != "/") {
    p = parent_path(p);
    auto it = over_.find(p);
    if (it != over_.end() && (it->second.removed || it->second.opaque)) return true;
  }
  return false;
}

namespace {
const FileNode& mount_dir_node() {
  static const FileNode n = dir_node(0, 0755);
  return n;
}
}  // namespace

const FileNode* Overlay::find_below_mounts(std::string_view path) const {
  if (const MountInfo* m = mounts_.empty() ? nullptr : mount_at(path)) {
    if (m->kind == MountInfo::Kind::Bind && m->source_fs) {
      std::string src = path == m->target ? m->source : clean_abs(relative_to(path, m->target), m->source);
      const FileNode* n = m->source_fs->find(src);
      if (n || path != m->target) return n;
    }
    return path == m->target ? &mount_dir_node() : nullptr;
  }
  return base_.find(path);
}

const FileNode* Overlay::find(std::string_view path) const {
  auto it = over_.find(path);
  if (it != over_.end()) return it->second.removed ? nullptr : &it->second.node;
  if (hidden_in_base(path)) return nullptr;
  return find_below_mounts(path);
}

void Overlay::mkdir_p(const std::string& path, uint32_t layer, uint32_t uid, uint32_t gid) {
  if (path == "/" || path.empty()) return;
  std::vector<std::string_view> missing;
  std::string_view p = path;
  while (p != "/") {
    const FileNode* n = find(p);
    if (n && n->is_dir()) break;
    missing.push_back(p);
    p = parent_path(p);
  }
  for (auto i = missing.rbegin(); i != missing.rend(); ++i) {
    FileNode d = dir_node(layer);
    d.uid = uid;
    d.gid = gid;
    std::string key(*i);
    auto [slot, inserted] = over_.try_emplace(std::move(key));
    auto& e = slot->second;
    const std::string& key_ref = slot->first;
    bool replacing_non_dir = !e.removed && e.node.type != NodeType::Dir && !e.node.summary &&
                             (e.node.size || e.node.hash);
    if (e.removed || replacing_non_dir) {
      e.opaque = true;
      hiding_ = true;
    } else if (const FileNode* old = find_below_mounts(key_ref); old && !old->is_dir()) {
      e.opaque = true;
      hiding_ = true;
    }
    e.fresh = inserted && mounts_.empty();
    e.removed = false;
    e.node = std::move(d);
  }
}

void Overlay::put(const std::string& path, FileNode n) {
  if (path.empty() || path == "/") return;
  std::string_view parent = parent_path(path);
  bool parent_fresh = false;
  if (parent != "/") {
    // Fast path: the parent was written by this RUN (several files into one new directory).
    auto pit = over_.find(parent);
    bool parent_ok = pit != over_.end() ? (!pit->second.removed && pit->second.node.is_dir()) : is_dir(parent);
    if (!parent_ok) {
      mkdir_p(std::string(parent), n.layer);
      pit = over_.find(parent);
    }
    parent_fresh = pit != over_.end() && pit->second.fresh && !pit->second.node.summary;
  }
  bool replaces_tree = !n.is_dir() || n.summary;  // a file or a summary replaces what was below
  auto [it, inserted] = over_.try_emplace(path);
  Entry& e = it->second;
  bool opaque = false;
  if (!inserted) {
    opaque = e.removed || e.opaque;
    if (!e.removed && e.node.is_dir() && replaces_tree) {
      // Drop what this RUN wrote below.
      over_.erase(over_.lower_bound(subtree_begin(path)), over_.lower_bound(subtree_end(path)));
      if (find_below_mounts(path)) opaque = true;
    }
  } else if (parent_fresh) {
    // Nothing can exist below a directory this RUN created.
    e.fresh = n.is_dir() && !n.summary;
  } else if (replaces_tree && !(hiding_ && hidden_in_base(path))) {
    const FileNode* old = find_below_mounts(path);
    opaque = old && old->is_dir();
  }
  if (opaque) hiding_ = true;
  if (!inserted) e.fresh = e.fresh && n.is_dir() && !n.summary;
  e.removed = false;
  e.opaque = opaque;
  e.node = std::move(n);
}

uint64_t Overlay::remove(const std::string& path) {
  if (path.empty()) return 0;
  if (!find(path)) return 0;
  uint64_t bytes = size_under(path);
  if (path == "/") {
    over_.clear();
    for (const auto& [p, n] : base_.entries())
      if (p != "/" && parent_path(p) == "/") {
        over_[p].removed = true;
      }
    hiding_ = true;
    return bytes;
  }
  over_.erase(over_.lower_bound(subtree_begin(path)), over_.lower_bound(subtree_end(path)));
  bool below = find_below_mounts(path) != nullptr;
  if (!below) {
    auto& be = base_.entries();
    auto first = be.lower_bound(subtree_begin(path));
    below = first != be.end() && first->first < subtree_end(path);
  }
  if (below) {
    Entry& e = over_[path];
    e.removed = true;
    e.opaque = false;
    e.fresh = false;
    e.node = FileNode{};
    hiding_ = true;
  } else {
    over_.erase(path);
  }
  return bytes;
}

uint64_t Overlay::size_under(std::string_view path) const {
  const FileNode* self = find(path);
  if (!self) return 0;
  uint64_t total = path == "/" ? 0 : self->size;
  if (!self->is_dir()) return total;
  for_each_under(path, [&](const std::string&, const FileNode& n) { total += n.size; });
  return total;
}

std::vector<std::string> Overlay::children(std::string_view dir) const {
  std::vector<std::string> out;
  if (mounts_.empty() && !hiding_) {
    // Fast path: walk both sorted ranges, jumping over each child's subtree.
    const FileNode* self = find(dir);
    if (!self || !self->is_dir()) return out;
    size_t prefix = dir == "/" ? 1 : dir.size() + 1;
    std::string jump;
    auto collect = [&](const auto& map) {
      auto it = map.lower_bound(subtree_begin(dir));
      auto end = map.lower_bound(subtree_end(dir));
      while (it != end) {
        std::string_view rel = std::string_view(it->first).substr(prefix);
        size_t slash = rel.find('/');
        if (slash == std::string_view::npos) {
          out.emplace_back(rel);
          ++it;
        } else {  // inside a child's subtree ("/d/b/x"): jump past it ("/d/b0")
          out.emplace_back(rel.substr(0, slash));
          jump.assign(it->first, 0, prefix + slash);
          jump += '0';
          it = map.lower_bound(jump);
        }
      }
    };
    collect(base_.entries());
    collect(over_);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  for_each_under(dir, [&](const std::string& p, const FileNode&) {
    std::string_view rel = relative_to(p, dir);
    if (!rel.empty() && rel.find('/') == std::string_view::npos) out.emplace_back(rel);
  });
  return out;
}

std::vector<FileChange> Overlay::take_changes(uint64_t* cache_bytes) {
  std::vector<FileChange> out;
  out.reserve(over_.size() + 4);
  while (!over_.empty()) {
    auto nh = over_.extract(over_.begin());  // moves the path out without copying it
    Entry& e = nh.mapped();
    if (const MountInfo* m = mounts_.empty() ? nullptr : mount_at(nh.key())) {
      if (m->kind == MountInfo::Kind::Cache && !e.removed && cache_bytes) *cache_bytes += e.node.size;
      continue;
    }
    if (e.removed) {
      out.push_back({FileChange::Op::Remove, std::move(nh.key()), {}});
      continue;
    }
    if (e.opaque) out.push_back({FileChange::Op::Remove, nh.key(), {}});
    out.push_back({FileChange::Op::Put, std::move(nh.key()), std::move(e.node)});
  }
  return out;
}

// ====================================================================================
// Helpers
// ====================================================================================

bool Args::has(std::string_view name) const {
  for (const auto& [n, v] : options)
    if (n == name) return true;
  return false;
}

std::optional<std::string_view> Args::value(std::string_view name) const {
  std::optional<std::string_view> out;
  for (const auto& [n, v] : options)
    if (n == name) out = v;
  return out;
}

Args parse_args(const Inv& inv, std::initializer_list<std::string_view> takes_value, size_t first) {
  Args a;
  const auto& av = inv.argv;
  a.positional.reserve(av.size());
  auto takes = [&](std::string_view n) {
    return std::find(takes_value.begin(), takes_value.end(), n) != takes_value.end();
  };
  bool only_positional = false;
  for (size_t i = first; i < av.size(); ++i) {
    std::string_view s = av[i];
    if (only_positional || s.size() < 2 || s[0] != '-') {
      a.positional.push_back(s);
      continue;
    }
    if (s == "--") {
      only_positional = true;
      continue;
    }
    if (s[1] == '-') {
      size_t eq = s.find('=');
      if (eq != std::string_view::npos) {
        a.options.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      } else if (takes(s) && i + 1 < av.size()) {
        a.options.emplace_back(s, av[++i]);
      } else {
        a.options.emplace_back(s, std::string_view{});
      }
      continue;
    }
    // Short options: -o X, -oX, bundles like -xzf FILE.
    if (takes(s.substr(0, 2))) {
      if (s.size() > 2)
        a.options.emplace_back(s.substr(0, 2), s.substr(2));
      else if (i + 1 < av.size())
        a.options.emplace_back(s, av[++i]);
      else
        a.options.emplace_back(s, std::string_view{});
      continue;
    }
    if (takes(s)) {  // e.g. "-ldflags" (Go's single-dash long options)
      if (i + 1 < av.size()) a.options.emplace_back(s, av[++i]);
      continue;
    }
    size_t eq = s.find('=');
    if (eq != std::string_view::npos) {  // -ldflags=..., -o=x
      a.options.emplace_back(s.substr(0, eq), s.substr(eq + 1));
      continue;
    }
    // Bundled flags: each letter is a flag; a letter that takes a value takes the rest or next.
    bool consumed = false;
    for (size_t k = 1; k < s.size() && !consumed; ++k) {
      a.owned.push_front(std::string("-") + s[k]);
      std::string_view fv = a.owned.front();
      if (takes(fv)) {
        if (k + 1 < s.size())
          a.options.emplace_back(fv, s.substr(k + 1));
        else if (i + 1 < av.size())
          a.options.emplace_back(fv, av[++i]);
        consumed = true;
      } else {
        a.options.emplace_back(fv, std::string_view{});
      }
    }
  }
  return a;
}

std::string human_size(uint64_t bytes) { return format_bytes(bytes); }

uint64_t mb(double bytes) { return bytes <= 0 ? 0 : static_cast<uint64_t>(std::llround(bytes)); }

// ====================================================================================
// Ctx
// ====================================================================================

namespace {

// Parses /etc/passwd content: returns (uid, gid, home) of `name` or of uid `name`.
bool passwd_lookup(std::string_view content, std::string_view who, UserInfo& out) {
  bool found = false;
  for_each_account_line(content, [&](const AccountLine& l) {
    if (l.count < 6 || (l.name() != who && l.fields[2] != who)) return true;
    out.name = std::string(l.name());
    out.uid = out.gid = 0;
    l.id(out.uid);
    l.gid(out.gid);
    out.home = l.fields[5].empty() ? "/" : std::string(l.fields[5]);
    found = true;
    return false;
  });
  return found;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

Ctx::Ctx(const RunInput& input, Effect& e)
    : in(input), eff(e), fs(input.fs, input.cache_mounts, input.workdir.empty() ? "/" : input.workdir) {
  layer = input.layer;
  keys.reserve(16);
  cwd = clean_abs(input.workdir.empty() ? "/" : input.workdir);
  vars.reserve(input.env.size() + 4);
  for (const auto& kv : input.env) setenv(kv.first, kv.second);
  // USER: name[:group]
  std::string_view u = input.user;
  std::string_view group;
  if (size_t c = u.find(':'); c != std::string_view::npos) {
    group = u.substr(c + 1);
    u = u.substr(0, c);
  }
  if (!u.empty() && u != "root" && u != "0") {
    const FileNode* pw = input.fs.find("/etc/passwd");
    UserInfo found;
    if (pw && pw->content && passwd_lookup(*pw->content, u, found)) {
      user = found;
    } else if (all_digits(u)) {
      user.name = std::string(u);
      user.uid = user.gid = static_cast<uint32_t>(std::strtoul(std::string(u).c_str(), nullptr, 10));
      user.home = "/";
    } else {
      user.name = std::string(u);
      user.uid = user.gid = 1000;
      user.home = "/home/" + user.name;
      if (pw && pw->content)
        fail(fmt::format("unable to find user {}: no matching entries in passwd file", u));
    }
    if (all_digits(group))
      user.gid = static_cast<uint32_t>(std::strtoul(std::string(group).c_str(), nullptr, 10));
  }
  if (!get("HOME")) setenv("HOME", user.home);
  if (!get("PATH")) setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
}

const std::string* Ctx::get(std::string_view name) const {
  for (const auto& kv : vars)
    if (kv.first == name) return &kv.second;
  if (name == "PWD") {
    static thread_local std::string pwd;
    pwd = cwd;
    return &pwd;
  }
  return nullptr;
}

void Ctx::setenv(std::string_view name, std::string value) {
  for (auto& kv : vars)
    if (kv.first == name) {
      kv.second = std::move(value);
      return;
    }
  vars.emplace_back(std::string(name), std::move(value));
}

void Ctx::unsetenv(std::string_view name) {
  vars.erase(std::remove_if(vars.begin(), vars.end(), [&](const auto& kv) { return kv.first == name; }),
             vars.end());
}

void Ctx::recognise(std::string tool, std::string summary, std::string source) {
  if (eff.recognised.size() < 64) eff.recognised.push_back({std::move(tool), std::move(summary), std::move(source)});
}

void Ctx::note(std::string text) {
  if (eff.notes.size() >= 32) return;
  for (const auto& n : eff.notes)
    if (n == text) return;
  eff.notes.push_back(std::move(text));
}

void Ctx::unknown(std::string_view command, std::string_view reason) {
  eff.unknown = true;
  key_unknown = true;
  std::string c(command);
  if (!reason.empty()) note(fmt::format("{}: {}", command, reason));
  // Where it most likely wrote: its directory and the paths its arguments name.
  auto add_path = [this](std::string p) {
    if (eff.unknown_paths.size() >= 32) return;
    for (const auto& q : eff.unknown_paths)
      if (q == p) return;
    eff.unknown_paths.push_back(std::move(p));
  };
  add_path(cwd);
  if (current)
    for (size_t k = 1; k < current->argv.size(); ++k) {
      std::string_view a = current->argv[k];
      if (a.starts_with('-')) {
        size_t eq = a.find('=');
        if (eq == std::string_view::npos) continue;
        a = a.substr(eq + 1);
      }
      if (a.empty() || a.find("://") != std::string_view::npos) continue;
      if (a.find('/') == std::string_view::npos && a != "." && a != "..") continue;
      size_t glob = a.find_first_of("*?[");
      if (glob != std::string_view::npos) {
        size_t slash = a.rfind('/', glob);
        if (slash == std::string_view::npos) continue;
        a = a.substr(0, slash + 1);
      }
      add_path(clean_abs(a, cwd));
    }
  for (const auto& u : eff.unknown_commands)
    if (u == c) return;
  if (eff.unknown_commands.size() < 32) eff.unknown_commands.push_back(std::move(c));
}

void Ctx::fail(std::string message) {
  eff.would_fail = true;
  for (const auto& f : eff.failures)
    if (f == message) return;
  if (eff.failures.size() < 16) eff.failures.push_back(std::move(message));
}

void Ctx::time(double cold_s, double warm_s) {
  cold += cold_s;
  warm += warm_s;
}

void Ctx::key_argv(const Inv& inv) {
  uint64_t h = content_hash(cwd);
  for (const auto& a : inv.argv) h = hash_combine(h, a);
  keys.push_back(h);
}

void Ctx::non_reproducible(std::string why) {
  eff.non_reproducible = true;
  note(std::move(why));
}

void Ctx::write_text(const std::string& path, std::string content, uint32_t mode) {
  FileNode n = file_node(std::move(content), layer, mode);
  n.uid = user.uid;
  n.gid = user.gid;
  fs.put(path, std::move(n));
}

void Ctx::write_unknown(const std::string& path, uint64_t size, std::string source, bool estimated,
                        uint64_t hash) {
  FileNode n;
  n.size = size;
  n.layer = layer;
  n.uid = user.uid;
  n.gid = user.gid;
  n.estimated = estimated;
  n.source = std::move(source);
  n.hash = hash;
  fs.put(path, std::move(n));
  if (estimated) eff.estimated = true;
}

void Ctx::put_summary(const std::string& path, uint64_t size, uint64_t identity, std::string source,
                      bool estimated) {
  FileNode n = summary_node(size, identity ? identity : 1, layer, std::move(source), estimated);
  n.uid = user.uid;
  n.gid = user.gid;
  fs.put(path, std::move(n));
  if (estimated) eff.estimated = true;
}

void Ctx::mkdir(const std::string& path) { fs.mkdir_p(path, layer, user.uid, user.gid); }

bool Ctx::on_cache_mount(std::string_view path) const {
  const MountInfo* m = fs.mount_at(path);
  return m && m->kind == MountInfo::Kind::Cache;
}

std::string Ctx::home_of(std::string_view name) const {
  if (name.empty()) return user.home;
  if (name == "root") return "/root";
  if (const FileNode* pw = fs.find("/etc/passwd"); pw && pw->content) {
    UserInfo u;
    if (passwd_lookup(*pw->content, name, u)) return u.home;
  }
  return "/home/" + std::string(name);
}

// ---- execution ----

namespace {
constexpr uint32_t kMaxSteps = 5000;
constexpr int kMaxScriptDepth = 8;

const Registry& registry() {
  static const Registry r = [] {
    Registry x;
    register_builtins(x);
    register_fs(x);
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

bool mentions_clock(const Inv& inv) {
  for (const auto& a : inv.argv) {
    if (a.find("$(date") != std::string::npos || a.find("`date") != std::string::npos ||
        a.find("$RANDOM") != std::string::npos || a.find("$(uuidgen") != std::string::npos)
      return true;
  }
  return false;
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
  // Redirections.
  Stream in_redirect;
  const Stream* stdin_stream = in_stream;
  std::string out_file;
  bool append = false;
  bool stdout_discarded = false;
  std::vector<std::string> err_files;
  for (const auto& r : c.redirects) {
    int fd = r.target_fd();
    switch (r.op) {
      case sh::RedirOp::Heredoc: {
        if (fd != 0 || r.heredoc < 0) break;
        const auto& hd = s.heredocs[static_cast<size_t>(r.heredoc)];
        in_redirect = Stream{};
        in_redirect.kind = Stream::Kind::Text;
        bool dyn = false;
        in_redirect.text = hd.expand ? sh::expand_heredoc(hd.body, *this, &dyn) : hd.body;
        if (dyn) in_redirect.reproducible = in_redirect.text.find("$(date") == std::string::npos;
        stdin_stream = &in_redirect;
        break;
      }
      case sh::RedirOp::HereString: {
        in_redirect = Stream{};
        in_redirect.kind = Stream::Kind::Text;
        in_redirect.text = sh::expand_one(r.target.text, *this) + "\n";
        stdin_stream = &in_redirect;
        break;
      }
      case sh::RedirOp::In: {
        std::string p = abs(sh::expand_one(r.target.text, *this));
        in_redirect = Stream{};
        const FileNode* f = fs.find(p);
        if (f && f->content) {
          in_redirect.kind = Stream::Kind::Text;
          in_redirect.text = *f->content;
          key(f->hash);
        } else {
          in_redirect.kind = Stream::Kind::Unknown;
          if (f) key(f->hash);
        }
        stdin_stream = &in_redirect;
        break;
      }
      case sh::RedirOp::Out:
      case sh::RedirOp::Append:
      case sh::RedirOp::OutErr:
      case sh::RedirOp::AppendOutErr: {
        std::string target = sh::expand_one(r.target.text, *this);
        bool app = r.op == sh::RedirOp::Append || r.op == sh::RedirOp::AppendOutErr;
        if (fd == 1 || r.op == sh::RedirOp::OutErr || r.op == sh::RedirOp::AppendOutErr) {
          if (target.rfind("/dev/", 0) == 0) {
            stdout_discarded = true;
            out_file.clear();
          } else {
            out_file = abs(target);
            append = app;
            stdout_discarded = false;
          }
        } else if (target.rfind("/dev/", 0) != 0) {
          err_files.push_back(abs(target));
        }
        break;
      }
      case sh::RedirOp::DupOut:
      case sh::RedirOp::DupIn:
      case sh::RedirOp::ReadWrite:
        break;
    }
  }

  if (inv.argv.empty()) {
    // Plain assignments (shell variables; exported or not makes no difference here).
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
    status = exec(*fn->second.first, fn->second.second, stdin_stream, out_file.empty() ? out : nullptr);
    --depth;
  } else {
    status = dispatch(inv);
  }

  // Standard output.
  if (!out_file.empty() && !on_mount(out_file)) {
    bool clock = mentions_clock(inv) || !inv.out.reproducible;
    if (clock) non_reproducible(fmt::format("{}: output depends on the clock", inv.argv[0]));
    if (inv.out.kind == Stream::Kind::Text) {
      std::string content = std::move(inv.out.text);
      if (append) {
        const FileNode* old = fs.find(out_file);
        if (old && old->content)
          content = *old->content + content;
        else if (old)
          content.clear();
        if (old && !old->content) {
          FileNode nn = *old;
          nn.size += inv.out.text.size();
          nn.hash = hash_combine(old->hash, content_hash(inv.out.text));
          nn.layer = layer;
          fs.put(out_file, std::move(nn));
        } else {
          write_text(out_file, std::move(content));
        }
      } else {
        write_text(out_file, std::move(content));
      }
    } else {
      if (inv.out.kind == Stream::Kind::Network) {
        output_unknown();
        write_unknown(out_file, mb(fig::download_default.value),
                      fmt::format("download from {} (size unknown; {})", inv.out.url, fig::download_default.source),
                      true, 0);
      } else {
        uint64_t h = keys.empty() ? 0 : keys.back();
        write_unknown(out_file, 0, fmt::format("output of `{}` (not modelled)", inv.argv[0]), true,
                      hash_combine(h, out_file));
      }
    }
  } else if (out && !stdout_discarded) {
    *out = std::move(inv.out);
  }
  for (const auto& ef : err_files)
    if (!on_mount(ef) && !fs.exists(ef)) write_unknown(ef, 0, "stderr output (not modelled)", true);

  for (auto& [k, v] : saved) {
    if (v)
      setenv(k, std::move(*v));
    else
      unsetenv(k);
  }
  return status;
}

// ====================================================================================
// Shell builtins and read-only utilities
// ====================================================================================

namespace {

int b_true(Ctx& c, Inv& inv) {
  c.time(0.0);
  inv.out.kind = Stream::Kind::None;
  return 0;
}
int b_false(Ctx&, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  return 1;
}

int b_cd(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  std::string target = inv.argv.size() > 1 ? inv.argv[1] : (c.get("HOME") ? *c.get("HOME") : "/");
  if (target == "-") return 0;
  std::string p = c.abs(target);
  if (!c.fs.is_dir(p)) {
    if (inv.dynamic) {
      c.note("cd into a directory computed at run time: paths after it are uncertain");
    } else if (c.unknown_input("cd " + target, p)) {
      c.mkdir(p);  // only a directory can be entered: the unmodelled step made one
    } else {
      c.fail(fmt::format("cd: {}: no such file or directory", target));
      return 1;
    }
  }
  c.cwd = p;
  return 0;
}

int b_export(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    const std::string& a = inv.argv[k];
    if (a.rfind('-', 0) == 0) continue;
    size_t eq = a.find('=');
    if (eq == std::string::npos) continue;
    c.setenv(a.substr(0, eq), a.substr(eq + 1));
  }
  return 0;
}

int b_unset(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  for (size_t k = 1; k < inv.argv.size(); ++k)
    if (inv.argv[k].rfind('-', 0) != 0) c.unsetenv(inv.argv[k]);
  return 0;
}

int b_echo(Ctx& c, Inv& inv) {
  size_t k = 1;
  bool newline = true, escapes = false;
  while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-' &&
         inv.argv[k].find_first_not_of("neE", 1) == std::string::npos) {
    if (inv.argv[k].find('n') != std::string::npos) newline = false;
    if (inv.argv[k].find('e') != std::string::npos) escapes = true;
    ++k;
  }
  std::string s;
  for (size_t i = k; i < inv.argv.size(); ++i) {
    if (i > k) s += ' ';
    s += inv.argv[i];
  }
  if (escapes) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char d = s[++i];
        r += d == 'n' ? '\n' : d == 't' ? '\t' : d == '\\' ? '\\' : d;
      } else {
        r += s[i];
      }
    }
    s = std::move(r);
  }
  if (newline) s += '\n';
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = std::move(s);
  if (inv.dynamic) inv.out.reproducible = !mentions_clock(inv);
  return 0;
}

int b_printf(Ctx&, Inv& inv) {
  if (inv.argv.size() < 2) return 1;
  const std::string& fmtstr = inv.argv[1];
  std::string s;
  size_t arg = 2;
  // Repeats the format while arguments remain (as printf does).
  do {
    for (size_t i = 0; i < fmtstr.size(); ++i) {
      char ch = fmtstr[i];
      if (ch == '\\' && i + 1 < fmtstr.size()) {
        char d = fmtstr[++i];
        s += d == 'n' ? '\n' : d == 't' ? '\t' : d;
      } else if (ch == '%' && i + 1 < fmtstr.size()) {
        size_t j = i + 1;
        while (j < fmtstr.size() && std::string_view("-+ #0123456789.").find(fmtstr[j]) != std::string_view::npos) ++j;
        char conv = j < fmtstr.size() ? fmtstr[j] : 's';
        i = j;
        if (conv == '%') {
          s += '%';
        } else if (arg < inv.argv.size()) {
          s += inv.argv[arg++];
        } else if (conv == 'd') {
          s += '0';
        }
      } else {
        s += ch;
      }
    }
  } while (arg < inv.argv.size() && fmtstr.find('%') != std::string::npos);
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = std::move(s);
  if (inv.dynamic) inv.out.reproducible = !mentions_clock(inv);
  return 0;
}

int b_cat(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {}, 1);
  if (a.positional.empty()) {
    // Copies stdin.
    if (inv.in) inv.out = *inv.in;
    else inv.out.kind = Stream::Kind::None;
    return 0;
  }
  std::string text;
  bool known = true;
  for (auto p : a.positional) {
    if (p == "-") {
      if (inv.in && inv.in->kind == Stream::Kind::Text) text += inv.in->text;
      else known = false;
      continue;
    }
    const FileNode* f = c.fs.find(c.abs(p));
    if (!f) {
      if (c.unknown_input("cat " + std::string(p), c.abs(p))) {
        known = false;
        continue;
      }
      c.fail(fmt::format("cat: {}: no such file or directory", p));
      return 1;
    }
    c.key(f->hash);
    if (f->content) text += *f->content;
    else known = false;
  }
  inv.out.kind = known ? Stream::Kind::Text : Stream::Kind::Unknown;
  if (known) inv.out.text = std::move(text);
  return 0;
}

// test / [ / [[: file tests and string comparisons against the simulated filesystem.
int b_test(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  std::vector<std::string_view> a;
  a.reserve(inv.argv.size());
  for (size_t k = 1; k < inv.argv.size(); ++k) a.push_back(inv.argv[k]);
  if (!a.empty() && (a.back() == "]" || a.back() == "]]")) a.pop_back();
  bool negate = false;
  if (!a.empty() && a[0] == "!") {
    negate = true;
    a.erase(a.begin());
  }
  auto result = [&](bool v) { return (v != negate) ? 0 : 1; };
  if (inv.dynamic) return 0;  // unknown at simulation time: assume true
  if (a.size() == 1) return result(!a[0].empty());
  if (a.size() == 2) {
    std::string_view op = a[0];
    std::string p = c.abs(a[1]);
    const FileNode* n = op.size() == 2 && op[0] == '-' && op[1] != 'z' && op[1] != 'n' ? c.fs.find(p) : nullptr;
    if (op == "-z") return result(a[1].empty());
    if (op == "-n") return result(!a[1].empty());
    if (op == "-e" || op == "-a") return result(n != nullptr);
    if (op == "-f") return result(n && n->is_file());
    if (op == "-d") return result(n && n->is_dir());
    if (op == "-L" || op == "-h") return result(n && n->is_symlink());
    if (op == "-s") return result(n && (n->size > 0 || n->is_dir()));
    if (op == "-x" || op == "-r" || op == "-w") return result(n != nullptr);
    return 0;
  }
  if (a.size() == 3) {
    if (a[1] == "=" || a[1] == "==") return result(a[0] == a[2]);
    if (a[1] == "!=") return result(a[0] != a[2]);
    auto num = [](std::string_view s) { return std::strtoll(std::string(s).c_str(), nullptr, 10); };
    if (a[1] == "-eq") return result(num(a[0]) == num(a[2]));
    if (a[1] == "-ne") return result(num(a[0]) != num(a[2]));
    if (a[1] == "-lt") return result(num(a[0]) < num(a[2]));
    if (a[1] == "-le") return result(num(a[0]) <= num(a[2]));
    if (a[1] == "-gt") return result(num(a[0]) > num(a[2]));
    if (a[1] == "-ge") return result(num(a[0]) >= num(a[2]));
  }
  return 0;  // complex expressions: assume true
}

int b_sleep(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  double s = inv.argv.size() > 1 ? std::strtod(inv.argv[1].c_str(), nullptr) : 0;
  if (!std::isfinite(s) || s < 0) s = 0;
  c.time(std::min(s, 3600.0));
  c.recognise("sleep", fmt::format("waits {}s", std::min(s, 3600.0)));
  return 0;
}

int b_date(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = "<date>\n";
  inv.out.reproducible = false;
  c.recognise("date", "prints the current time");
  return 0;
}

// Read-only commands: no filesystem effect (their output, if redirected, is unknown text).
int b_readonly(Ctx& c, Inv& inv) {
  c.time(0.05);
  return 0;
}

// command -v / which / type: true if a handler or a file exists.
int b_which(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  return 0;
}

int b_exit(Ctx&, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  int code = inv.argv.size() > 1 ? std::atoi(inv.argv[1].c_str()) : 0;
  return code;
}

// Wrappers that run the rest of the command line: sudo, env, exec, nice, nohup, time, command,
// gosu/su-exec USER, tini --, dumb-init.
int b_wrapper(Ctx& c, Inv& inv) {
  std::string_view n = inv.name;
  size_t k = 1;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  if (n == "env") {
    while (k < inv.argv.size()) {
      const std::string& a = inv.argv[k];
      if (a == "-i" || a == "-" || a == "--ignore-environment") {
        ++k;
        continue;
      }
      if (a == "-u" && k + 1 < inv.argv.size()) {
        k += 2;
        continue;
      }
      if (sh::is_assignment(a)) {
        std::string name(sh::assignment_name(a));
        const std::string* old = c.get(name);
        saved.emplace_back(name, old ? std::optional<std::string>(*old) : std::nullopt);
        c.setenv(name, std::string(sh::assignment_value(a)));
        ++k;
        continue;
      }
      break;
    }
    if (k >= inv.argv.size()) {
      inv.out.kind = Stream::Kind::Unknown;  // prints the environment
      return 0;
    }
  } else if (n == "sudo" || n == "doas") {
    while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-') {
      if ((inv.argv[k] == "-u" || inv.argv[k] == "-g") && k + 1 < inv.argv.size()) ++k;
      ++k;
    }
    if (n == "sudo") c.note("sudo: usually absent from images (RUN already runs as USER)");
  } else if (n == "gosu" || n == "su-exec") {
    k = 2;
  } else if (n == "command") {
    if (k < inv.argv.size() && (inv.argv[k] == "-v" || inv.argv[k] == "-V")) return b_which(c, inv);
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
  } else if (n == "tini" || n == "dumb-init") {
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
  } else if (n == "nice" || n == "nohup" || n == "time" || n == "exec" || n == "timeout" ||
             n == "stdbuf" || n == "ionice" || n == "chroot") {
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
    if (n == "timeout" && k < inv.argv.size()) ++k;  // the duration
  }
  if (k >= inv.argv.size()) return 0;
  std::vector<std::string> rest(inv.argv.begin() + static_cast<long>(k), inv.argv.end());
  int status = c.run_argv(std::move(rest), inv.in, &inv.out);
  for (auto& [name, v] : saved) {
    if (v) c.setenv(name, std::move(*v));
    else c.unsetenv(name);
  }
  return status;
}

// sh -c '...', bash script.sh, . file, source file, eval ...
int b_shell(Ctx& c, Inv& inv) {
  std::string_view n = inv.name;
  if (n == "eval") {
    std::string text;
    for (size_t k = 1; k < inv.argv.size(); ++k) {
      if (k > 1) text += ' ';
      text += inv.argv[k];
    }
    if (inv.dynamic) c.note("eval of a command substitution: not simulated");
    return c.run_script(text);
  }
  size_t k = 1;
  bool dash_c = false;
  while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-') {
    if (inv.argv[k].find('c') != std::string::npos && inv.argv[k][1] != '-') dash_c = true;
    ++k;
    if (dash_c) break;
  }
  if (dash_c) {
    if (k >= inv.argv.size()) return 2;
    return c.run_script(inv.argv[k]);
  }
  if (k >= inv.argv.size()) {
    // The script comes from stdin (`curl ... | sh`).
    if (inv.in && inv.in->kind == Stream::Kind::Text) return c.run_script(inv.in->text);
    if (inv.in && inv.in->kind == Stream::Kind::Network) {
      c.unknown(fmt::format("{} (script from {})", n, inv.in->url.empty() ? "the network" : inv.in->url),
                "a downloaded script is run: its effect is unknown");
      return 0;
    }
    return 0;
  }
  std::string path = c.abs(inv.argv[k]);
  const FileNode* f = c.fs.find(path);
  if (!f) {
    if (c.unknown_input(fmt::format("{} {}", n, inv.argv[k]), path)) return 0;
    c.fail(fmt::format("{}: {}: no such file or directory", n, inv.argv[k]));
    return 127;
  }
  c.key(f->hash);
  if (!f->content) {
    c.unknown(inv.argv[k], "script content unknown");
    return 0;
  }
  return c.run_script(*f->content);
}

int b_version_query(Ctx& c, Inv& inv) {
  // node -v, python --version, java -version...: read-only.
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    std::string_view a = inv.argv[k];
    if (a == "-v" || a == "--version" || a == "-version" || a == "-V" || a == "version" || a == "--info" ||
        a == "-h" || a == "--help") {
      c.recognise(std::string(inv.name) + " " + std::string(a), "prints version information");
      return 0;
    }
  }
  // Otherwise: running a program with an unknown effect.
  c.unknown(inv.argv[0], "runs a program whose effect is not modelled");
  return 0;
}

}  // namespace

void register_builtins(Registry& r) {
  for (auto n : {"true", ":", "set", "shopt", "umask", "ulimit", "trap", "shift", "wait", "local", "return",
                 "hash", "alias", "unalias", "readonly", "declare", "typeset", "[[", "((", "let"})
    r.add(n, b_true);
  r.add("false", b_false);
  r.add("cd", b_cd);
  r.add("pushd", b_cd);
  r.add("export", b_export);
  r.add("unset", b_unset);
  r.add("echo", b_echo);
  r.add("printf", b_printf);
  r.add("cat", b_cat);
  r.add("test", b_test);
  r.add("[", b_test);
  r.add("sleep", b_sleep);
  r.add("date", b_date);
  r.add("exit", b_exit);
  for (auto n : {"which", "type", "hash"}) r.add(n, b_which);
  for (auto n : {"env", "sudo", "doas", "gosu", "su-exec", "command", "tini", "dumb-init", "nice", "nohup",
                 "time", "exec", "timeout", "stdbuf", "ionice", "chroot"})
    r.add(n, b_wrapper);
  for (auto n : {"sh", "bash", "ash", "dash", "zsh", "source", ".", "eval"}) r.add(n, b_shell);
  for (auto n : {"ls", "pwd", "printenv", "id", "whoami", "uname", "nproc", "grep", "egrep", "fgrep", "awk",
                 "head", "tail", "wc", "sort", "uniq", "cut", "tr", "du", "df", "stat", "file", "md5sum",
                 "sha1sum", "sha256sum", "sha512sum", "basename", "dirname", "realpath", "readlink", "seq",
                 "expr", "yes", "sync", "ldd", "ps", "free", "getent", "tput", "clear", "read", "jq",
                 "diff", "cmp", "less", "more", "hostname", "arch", "locale", "tty", "nslookup", "ping",
                 "dpkg-query", "rpm", "apk-info", "lsb_release", "printf-", "logger", "true-"})
    r.add(n, b_readonly);
  for (auto n : {"node", "python", "python3", "ruby", "perl", "php", "deno", "bun", "rustc",
                 "gcc", "g++", "cc", "clang", "javac", "kotlin"})
    r.add(n, b_version_query);
}

}  // namespace detail

// ====================================================================================
// simulate_run
// ====================================================================================

using namespace detail;

namespace {

void apply_annotation(Ctx& ctx, const Annotation& a) {
  Effect& eff = ctx.eff;
  eff.annotated = true;
  uint64_t key = content_hash("annotation");
  for (const auto& p : a.paths) {
    std::string path = ctx.abs(p.path);
    key = hash_combine(key, path);
    key = hash_combine(key, p.size.value_or(0));
    if (p.kind == AnnotatedPath::Kind::Remove) {
      ctx.fs.remove(path);
      continue;
    }
    std::string src = a.line ? fmt::format("annotation (line {})", a.line) : "annotation";
    if (p.file) {
      FileNode n;
      n.size = p.size.value_or(0);
      n.layer = ctx.layer;
      n.uid = ctx.user.uid;
      n.gid = ctx.user.gid;
      n.source = src;
      n.hash = hash_combine(key, path);
      ctx.fs.put(path, std::move(n));
    } else {
      ctx.put_summary(path, p.size.value_or(0), hash_combine(key, path), src, /*estimated=*/false);
    }
  }
  ctx.recognise("annotation", a.nothing ? "the author states that this step writes nothing"
                                        : fmt::format("the author states {} path(s)", a.paths.size()),
                a.line ? fmt::format("annotation (line {})", a.line) : "annotation");
  ctx.key(key);
}

}  // namespace

void clear_script_cache() {
  detail::script_cache().now.clear();
  detail::script_cache().before.clear();
}

Effect simulate_run(const RunInput& in) {
  Effect eff;
  Ctx ctx(in, eff);
  const Annotation* ann = in.annotation;
  if (ann && ann->states_effect()) {
    apply_annotation(ctx, *ann);
  } else {
    bool exec_form = !in.shell_form || !in.exec_args.empty();
    if (exec_form) {
      std::vector<std::string> argv = in.exec_args;
      if (argv.empty()) {
        // Split the joined text on blanks (no shell semantics).
        std::string_view t = in.command;
        size_t i = 0;
        while (i < t.size()) {
          while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
          size_t j = i;
          while (j < t.size() && t[j] != ' ' && t[j] != '\t') ++j;
          if (j > i) argv.emplace_back(t.substr(i, j - i));
          i = j;
        }
      }
      if (!argv.empty()) {
        Inv probe;
        probe.argv = argv;
        ctx.key_argv(probe);
        ctx.run_argv(std::move(argv));
      }
    } else if (!in.has_shell) {
      ctx.fail("the image has no shell (/bin/sh): a shell-form RUN cannot start; use the exec form");
      ctx.key_unknown = true;
    } else {
      auto script = parse_cached(in.command);
      ctx.scripts.push_back(script);
      if (!script->ok())
        ctx.fail(fmt::format("/bin/sh: {}", script->problems.front().message));
      ctx.exec(*script, script->root);
      ctx.functions.clear();
    }
  }

  // Results.
  uint64_t cache_bytes = 0;
  eff.changes = ctx.fs.take_changes(&cache_bytes);
  eff.cache_bytes = cache_bytes;
  for (const auto& ch : eff.changes) {
    if (ch.op == FileChange::Op::Put) {
      eff.layer_bytes += ch.node.size;
      if (ch.node.estimated) eff.estimated = true;
    } else {
      eff.removed_bytes += in.fs.size_under(ch.path);
    }
  }
  eff.seconds_cold = ctx.cold;
  eff.seconds_warm_mount = ctx.warm;
  if (ann) {
    if (ann->seconds) eff.seconds_cold = *ann->seconds;
    if (ann->seconds_warm) eff.seconds_warm_mount = *ann->seconds_warm;
    else if (ann->seconds) eff.seconds_warm_mount = std::min(eff.seconds_warm_mount, *ann->seconds);
    if (ann->non_reproducible) {
      eff.non_reproducible = true;
    }
    if (ann->reproducible) eff.non_reproducible = false;
  }
  if (eff.seconds_warm_mount > eff.seconds_cold) eff.seconds_warm_mount = eff.seconds_cold;
  if (ctx.key_unknown || eff.non_reproducible || eff.unknown || eff.would_fail) {
    eff.output_key = 0;
  } else {
    uint64_t h = XXH3_64bits_withSeed("run", 3, ctx.keys.size());
    for (uint64_t k : ctx.keys) h = hash_combine(h, k);
    eff.output_key = h ? h : 1;
  }
  return eff;
}

std::string run_script(std::string_view cmdline, const std::vector<HeredocFile>& files) {
  std::string full(cmdline);
  if (files.empty()) return full;
  auto chomp = [](const HeredocFile& f) {
    if (!f.chomp) return f.content;
    std::string out;
    size_t i = 0;
    while (i < f.content.size()) {
      size_t eol = f.content.find('\n', i);
      size_t end = eol == std::string::npos ? f.content.size() : eol + 1;
      size_t k = i;
      while (k < end && f.content[k] == '\t') ++k;
      out.append(f.content, k, end - k);
      i = end;
    }
    return out;
  };
  if (files.size() == 1) {
    // Is the command line exactly one heredoc word (<<EOF, <<-EOF, <<"EOF")?
    std::string_view t = cmdline;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (t.rfind("<<", 0) == 0 && t.find_first_of(" \t") == std::string_view::npos) {
      std::string_view name = t.substr(2);
      if (!name.empty() && name[0] == '-') name.remove_prefix(1);
      std::string unq;
      for (char ch : name)
        if (ch != '"' && ch != '\'') unq += ch;
      if (unq == files[0].name) return chomp(files[0]);
    }
  }
  for (const auto& f : files) {
    full += "\n";
    full += f.content;
    full += f.name;
  }
  return full;
}

}  // namespace dfplay::sim
