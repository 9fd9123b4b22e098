// File utilities (rm, mkdir, cp, mv, chmod, chown, ln, touch, tee, install, find -delete, sed -i),
// archives (tar, unzip, gzip), downloads (curl, wget, git clone) and user management (useradd,
// adduser, groupadd, addgroup, usermod).
#include <algorithm>

#include "sim/effects_internal.h"

namespace dfplay::sim::detail {

namespace {

// The nearest summary ancestor of a path that does not exist (a base-image directory).
const FileNode* summary_ancestor(const Ctx& c, std::string_view path, std::string* where = nullptr) {
  std::string_view p = path;
  while (p != "/") {
    p = parent_path(p);
    const FileNode* n = c.fs.find(p);
    if (n) {
      if (n->summary) {
        if (where) *where = std::string(p);
        return n;
      }
      return nullptr;
    }
  }
  return nullptr;
}

// Removes a path; a literal "DIR/*" whose DIR is a summary empties that summary.
uint64_t remove_one(Ctx& c, const std::string& arg, std::string_view glob, bool force, bool recursive,
                    std::string_view tool) {
  std::string p = c.abs(arg);
  if (p == "/") {
    c.note(fmt::format("{}: refusing to remove / (as rm does without --no-preserve-root)", tool));
    return 0;
  }
  const FileNode* n = c.fs.find(p);
  if (!n) {
    // An unmatched glob inside a summary: "rm -rf /var/lib/apt/lists/*".
    if (!glob.empty()) {
      std::string dir(parent_path(p));
      const FileNode* d = c.fs.find(dir);
      if (d && d->summary) {
        uint64_t bytes = d->size;
        FileNode empty = dir_node(c.layer, d->mode);
        empty.uid = d->uid;
        empty.gid = d->gid;
        c.fs.remove(dir);
        c.fs.put(dir, std::move(empty));
        return bytes;
      }
    }
    std::string where;
    if (summary_ancestor(c, p, &where)) {
      c.note(fmt::format("{} {}: inside {}, which is not modelled file by file (size removed unknown)", tool,
                         arg, where));
      return 0;
    }
    if (!force) {
      c.fail(fmt::format("{}: cannot remove '{}': no such file or directory", tool, arg));
    }
    return 0;
  }
  if (n->is_dir() && !recursive && tool == "rm") {
    c.fail(fmt::format("rm: cannot remove '{}': is a directory", arg));
    return 0;
  }
  return c.remove(p);
}

int f_rm(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  bool force = false, recursive = false;
  std::vector<size_t> targets;
  bool only = false;
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    const std::string& a = inv.argv[k];
    if (!only && a == "--") {
      only = true;
      continue;
    }
    if (!only && a.size() > 1 && a[0] == '-') {
      if (a == "--force") force = true;
      else if (a == "--recursive") recursive = true;
      else if (a[1] != '-') {
        if (a.find('f') != std::string::npos) force = true;
        if (a.find('r') != std::string::npos || a.find('R') != std::string::npos) recursive = true;
      }
      continue;
    }
    targets.push_back(k);
  }
  uint64_t bytes = 0;
  for (size_t k : targets) {
    if (inv.dynamic && inv.argv[k].find("$(") != std::string::npos) {
      c.unknown(inv.argv[0] + " " + inv.argv[k], "path computed at run time");
      continue;
    }
    bytes += remove_one(c, inv.argv[k], inv.glob(k), force, recursive, "rm");
  }
  c.time(0.05 + static_cast<double>(bytes) / 1e9);
  c.recognise("rm", fmt::format("removes {} path(s), {}", targets.size(), human_size(bytes)));
  return 0;
}

int f_rmdir(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {}, 1);
  for (auto p : a.positional) {
    std::string abs = c.abs(p);
    if (c.fs.is_dir(abs) && c.fs.children(abs).empty()) c.remove(abs);
  }
  c.recognise("rmdir", "removes empty directories");
  return 0;
}

uint32_t parse_mode(std::string_view spec, uint32_t old, bool is_dir) {
  if (!spec.empty() && spec.find_first_not_of("01234567") == std::string_view::npos)
    return static_cast<uint32_t>(std::strtoul(std::string(spec).c_str(), nullptr, 8)) & 07777;
  // Symbolic: [ugoa]*[+-=][rwxX]* clauses separated by commas.
  uint32_t mode = old;
  size_t i = 0;
  while (i < spec.size()) {
    uint32_t who = 0;
    while (i < spec.size() && std::string_view("ugoa").find(spec[i]) != std::string_view::npos) {
      char w = spec[i++];
      who |= w == 'u' ? 0700 : w == 'g' ? 0070 : w == 'o' ? 0007 : 0777;
    }
    if (who == 0) who = 0777;
    while (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == '=')) {
      char op = spec[i++];
      uint32_t bits = 0;
      while (i < spec.size() && std::string_view("rwxXst").find(spec[i]) != std::string_view::npos) {
        char b = spec[i++];
        if (b == 'r') bits |= 0444;
        if (b == 'w') bits |= 0222;
        if (b == 'x' || (b == 'X' && (is_dir || (old & 0111)))) bits |= 0111;
      }
      bits &= who;
      if (op == '+') mode |= bits;
      else if (op == '-') mode &= ~bits;
      else mode = (mode & ~who) | bits;
    }
    if (i < spec.size() && spec[i] == ',') ++i;
    else if (i < spec.size()) ++i;  // unknown character: skip
  }
  return mode;
}

int f_mkdir(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-m", "--mode"}, 1);
  bool parents = a.has("-p") || a.has("--parents");
  auto mode = a.value("-m", "--mode");
  for (auto p : a.positional) {
    std::string abs = c.abs(p);
    if (c.fs.exists(abs)) {
      if (!parents) c.fail(fmt::format("mkdir: cannot create directory '{}': file exists", p));
      continue;
    }
    if (!parents && !c.fs.is_dir(std::string(parent_path(abs))) && !summary_ancestor(c, abs)) {
      c.fail(fmt::format("mkdir: cannot create directory '{}': no such file or directory", p));
      continue;
    }
    c.mkdir(abs);
    if (mode) {
      FileNode n = *c.fs.find(abs);
      n.mode = parse_mode(*mode, 0755, true);
      c.fs.put(abs, std::move(n));
    }
  }
  c.time(0.01);
  c.recognise("mkdir", fmt::format("creates {} director{}", a.positional.size(), a.positional.size() == 1 ? "y" : "ies"));
  return 0;
}

// Copies `src` (file, dir, summary) to `dst`, re-owned by `uid:gid` unless `preserve`.
uint64_t copy_tree(Ctx& c, const std::string& src, const std::string& dst, bool preserve) {
  const FileNode* s = c.fs.find(src);
  if (!s) return 0;
  uint64_t bytes = 0;
  auto adopt = [&](FileNode n) {
    n.layer = c.layer;
    if (!preserve) {
      n.uid = c.user.uid;
      n.gid = c.user.gid;
    }
    bytes += n.size;
    return n;
  };
  if (!s->is_dir() || s->summary) {
    c.key(hash_combine(s->hash, s->size));
    FileNode copy = adopt(*s);
    c.fs.put(dst, std::move(copy));
    if (!s->summary) return bytes;
  } else {
    FileNode d = adopt(*s);
    c.fs.put(dst, std::move(d));
  }
  // Collect first: writing while iterating the same overlay is not allowed.
  std::vector<std::pair<std::string, FileNode>> items;
  c.fs.for_each_under(src, [&](const std::string& p, const FileNode& n) {
    items.emplace_back(std::string(relative_to(p, src)), n);
  });
  for (auto& [rel, n] : items) {
    c.key(hash_combine(n.hash, rel));
    c.fs.put(clean_abs(rel, dst), adopt(std::move(n)));
  }
  return bytes;
}

int f_cp(Ctx& c, Inv& inv, bool move) {
  inv.out.kind = Stream::Kind::None;
  const char* tool = move ? "mv" : "cp";
  Args a = parse_args(inv, {"-t", "--target-directory", "-S", "--suffix"}, 1);
  bool recursive = move || a.has("-r") || a.has("-R") || a.has("-a") || a.has("--recursive") || a.has("--archive");
  bool preserve = move || a.has("-a") || a.has("-p") || a.has("--archive") || a.has("--preserve");
  std::vector<std::string_view> srcs = a.positional;
  std::string dest;
  if (auto t = a.value("-t", "--target-directory")) {
    dest = c.abs(*t);
  } else {
    if (srcs.size() < 2) {
      c.fail(fmt::format("{}: missing destination file operand", tool));
      return 1;
    }
    dest = c.abs(srcs.back());
    if (srcs.back().size() > 1 && srcs.back().back() == '/' && !c.fs.is_dir(dest) && !summary_ancestor(c, dest)) {
      c.fail(fmt::format("{}: cannot create regular file '{}': not a directory", tool, srcs.back()));
      return 1;
    }
    srcs.pop_back();
  }
  bool dest_is_dir = c.fs.is_dir(dest);
  bool no_target_dir = a.has("-T") || a.has("--no-target-directory");
  if (srcs.size() > 1 && !dest_is_dir) {
    c.fail(fmt::format("{}: target '{}' is not a directory", tool, dest));
    return 1;
  }
  uint64_t bytes = 0;
  for (auto s : srcs) {
    std::string src = c.abs(s);
    // `cp -r dir/. dest`: the contents of dir.
    bool contents = s.size() >= 2 && s.substr(s.size() - 2) == "/.";
    const FileNode* n = c.fs.find(src);
    if (!n) {
      std::string where;
      if (summary_ancestor(c, src, &where)) {
        c.unknown(fmt::format("{} {}", tool, s), fmt::format("source inside {} (not modelled file by file)", where));
        continue;
      }
      if (c.unknown_input(fmt::format("{} {}", tool, s), src)) {
        // The copy of something an unmodelled command wrote: unknown too, in its place.
        std::string target = (dest_is_dir && !no_target_dir && !contents) ? clean_abs(base_name(src), dest) : dest;
        bool dir = contents || (!looks_like_file(src) && (recursive || !looks_like_file(target)));
        if (!contents || !c.fs.exists(target))
          c.fs.put(target, unknown_node(dir, hash_combine(content_hash(c.unmodelled_writer()), src), c.layer,
                                        "copy of " + src + ", produced by an unmodelled step"));
        continue;
      }
      c.fail(fmt::format("{}: cannot stat '{}': no such file or directory", tool, s));
      continue;
    }
    if (n->is_dir() && !n->summary && !recursive) {
      c.fail(fmt::format("cp: -r not specified; omitting directory '{}'", s));
      continue;
    }
    std::string target = (dest_is_dir && !no_target_dir && !contents) ? clean_abs(base_name(src), dest) : dest;
    if (target == src) continue;
    if (is_within(target, src) && target != src) {
      c.fail(fmt::format("{}: cannot copy a directory, '{}', into itself", tool, s));
      continue;
    }
    if (contents) {
      if (!c.fs.exists(target)) c.mkdir(target);
      std::vector<std::string> kids = c.fs.children(src);
      for (const auto& k : kids) bytes += copy_tree(c, clean_abs(k, src), clean_abs(k, target), preserve);
    } else {
      bytes += copy_tree(c, src, target, preserve);
    }
    if (move) c.remove(src);
  }
  c.time(0.05 + static_cast<double>(bytes) / 2e8);
  c.recognise(tool, fmt::format("{} {} path(s), {}", move ? "moves" : "copies", srcs.size(), human_size(bytes)));
  if (move && bytes > 0) {
    bool lower = false;
    for (auto s : srcs)
      if (c.in.fs.exists(c.abs(s))) lower = true;
    if (lower) c.note("mv of files from an earlier layer copies them: they stay in the earlier layer too");
  }
  return 0;
}

int f_cp_(Ctx& c, Inv& inv) { return f_cp(c, inv, false); }
int f_mv(Ctx& c, Inv& inv) { return f_cp(c, inv, true); }

// Rewrites metadata of a path (and its subtree with -R): the whole file content is copied into
// the new layer (overlayfs copy-up), which is how `chown -R` doubles an image's size.
uint64_t restamp(Ctx& c, const std::string& path, bool recursive,
                 const std::function<void(FileNode&)>& change) {
  const FileNode* n = c.fs.find(path);
  if (!n) return 0;
  uint64_t bytes = 0;
  FileNode copy = *n;
  change(copy);
  copy.layer = c.layer;
  bytes += copy.size;
  c.fs.put(path, std::move(copy));
  if (recursive && n->is_dir()) {
    std::vector<std::pair<std::string, FileNode>> items;
    c.fs.for_each_under(path, [&](const std::string& p, const FileNode& x) { items.emplace_back(p, x); });
    for (auto& [p, x] : items) {
      change(x);
      x.layer = c.layer;
      bytes += x.size;
      c.fs.put(p, std::move(x));
    }
  }
  return bytes;
}

// Visits (name, id) for every "name:x:id:..." line of an /etc/passwd- or /etc/group-style file in
// the stage filesystem (lines without an id field are skipped); stops when `f` returns false.
template <class F>
void for_each_id_record(const Ctx& c, std::string_view file, F f) {
  const FileNode* n = c.fs.find(file);
  if (!n || !n->content) return;
  for_each_account_line(*n->content, [&](const AccountLine& l) {
    uint32_t id;
    if (l.count < 4 || !l.id(id)) return true;
    return f(l.name(), id);
  });
}

// Resolves "user[:group]" to ids through /etc/passwd and /etc/group when known.
bool lookup_id(const Ctx& c, std::string_view file, std::string_view name, uint32_t& id) {
  if (name.empty()) return false;
  if (name.find_first_not_of("0123456789") == std::string_view::npos) {
    id = static_cast<uint32_t>(std::strtoul(std::string(name).c_str(), nullptr, 10));
    return true;
  }
  if (name == "root") {
    id = 0;
    return true;
  }
  bool found = false;
  for_each_id_record(c, file, [&](std::string_view n, uint32_t v) {
    if (n != name) return true;
    id = v;
    found = true;
    return false;
  });
  return found;
}

void layer_copy_note(Ctx& c, std::string_view tool, uint64_t bytes, bool lower) {
  if (lower && bytes >= 1000000)
    c.note(fmt::format("{} rewrites {} of files from earlier layers: they are stored again in this layer "
                       "(use COPY --chown/--chmod instead)",
                       tool, human_size(bytes)));
}

int f_chown(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  bool chgrp = inv.name == "chgrp";
  Args a = parse_args(inv, {"--from", "--reference"}, 1);
  bool recursive = a.has("-R") || a.has("--recursive");
  if (a.positional.size() < 2) {
    c.fail(fmt::format("{}: missing operand", inv.name));
    return 1;
  }
  std::string_view spec = a.positional[0];
  std::string_view uname = chgrp ? std::string_view{} : spec.substr(0, spec.find_first_of(":."));
  std::string_view gname;
  if (chgrp) gname = spec;
  else if (size_t col = spec.find_first_of(":."); col != std::string_view::npos) gname = spec.substr(col + 1);
  std::optional<uint32_t> uid, gid;
  uint32_t id = 0;
  if (!uname.empty()) {
    if (lookup_id(c, "/etc/passwd", uname, id)) uid = id;
    else {
      const FileNode* pw = c.fs.find("/etc/passwd");
      if (pw && pw->content) {
        c.fail(fmt::format("{}: invalid user: '{}'", inv.name, spec));
        return 1;
      }
      uid = 1000;
      c.note(fmt::format("{}: uid of '{}' unknown (assumed 1000)", inv.name, uname));
    }
  }
  if (!gname.empty()) {
    if (lookup_id(c, "/etc/group", gname, id)) gid = id;
    else gid = uid.value_or(1000);
  } else if (spec.find(':') != std::string_view::npos && uid) {
    gid = uid;  // "user:" = the user's login group (approximation)
  }
  uint64_t bytes = 0;
  bool lower = false;
  for (size_t k = 1; k < a.positional.size(); ++k) {
    std::string p = c.abs(a.positional[k]);
    if (!c.fs.exists(p)) {
      if (!summary_ancestor(c, p) && !c.unknown_input(fmt::format("{} {}", inv.name, a.positional[k]), p))
        c.fail(fmt::format("{}: cannot access '{}': no such file or directory", inv.name, a.positional[k]));
      continue;
    }
    if (c.in.fs.exists(p)) lower = true;
    bytes += restamp(c, p, recursive, [&](FileNode& n) {
      if (uid) n.uid = *uid;
      if (gid) n.gid = *gid;
    });
  }
  c.time(0.05 + static_cast<double>(bytes) / 5e8);
  c.recognise(std::string(inv.name) + (recursive ? " -R" : ""),
              fmt::format("changes the owner of {} ({} rewritten into this layer)", a.positional.size() - 1,
                          human_size(bytes)));
  layer_copy_note(c, std::string(inv.name) + (recursive ? " -R" : ""), bytes, lower);
  return 0;
}

int f_chmod(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  // Modes like "-x" or "+x" look like options: take the first non-option-looking word (or a
  // mode-like word) as the mode.
  bool recursive = false;
  std::vector<std::string_view> pos;
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    std::string_view s = inv.argv[k];
    if (s == "-R" || s == "--recursive") {
      recursive = true;
      continue;
    }
    if (s == "-v" || s == "-f" || s == "-c" || s == "--verbose" || s == "--silent" || s == "--quiet") continue;
    pos.push_back(s);
  }
  if (pos.size() < 2) {
    c.fail("chmod: missing operand");
    return 1;
  }
  std::string_view spec = pos[0];
  uint64_t bytes = 0;
  bool lower = false;
  for (size_t k = 1; k < pos.size(); ++k) {
    std::string p = c.abs(pos[k]);
    if (!c.fs.exists(p)) {
      if (!summary_ancestor(c, p) && !c.unknown_input("chmod " + std::string(pos[k]), p))
        c.fail(fmt::format("chmod: cannot access '{}': no such file or directory", pos[k]));
      continue;
    }
    if (c.in.fs.exists(p)) lower = true;
    bytes += restamp(c, p, recursive, [&](FileNode& n) { n.mode = parse_mode(spec, n.mode, n.is_dir()); });
  }
  c.time(0.02 + static_cast<double>(bytes) / 5e8);
  c.recognise(recursive ? "chmod -R" : "chmod",
              fmt::format("changes modes ({} rewritten into this layer)", human_size(bytes)));
  layer_copy_note(c, recursive ? "chmod -R" : "chmod", bytes, lower);
  return 0;
}

int f_ln(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-t", "--target-directory"}, 1);
  bool symbolic = a.has("-s") || a.has("--symbolic");
  if (a.positional.empty()) return 1;
  std::string_view target = a.positional[0];
  std::string link = a.positional.size() > 1 ? c.abs(a.positional[1]) : c.abs(base_name(clean_abs(target)));
  if (c.fs.is_dir(link)) link = clean_abs(base_name(clean_abs(target)), link);
  if (symbolic) {
    FileNode n = symlink_node(std::string(target), c.layer);
    n.uid = c.user.uid;
    n.gid = c.user.gid;
    c.fs.put(link, std::move(n));
  } else {
    const FileNode* src = c.fs.find(c.abs(target));
    if (src) c.fs.put(link, *src);
  }
  c.key(std::string(target));
  c.recognise(symbolic ? "ln -s" : "ln", fmt::format("links {} -> {}", link, target));
  return 0;
}

int f_touch(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-d", "-t", "-r", "--date", "--reference"}, 1);
  for (auto p : a.positional) {
    std::string abs = c.abs(p);
    const FileNode* n = c.fs.find(abs);
    if (!n) {
      c.write_text(abs, "");
    } else {
      FileNode copy = *n;  // a new mtime: the file is copied up into this layer
      copy.layer = c.layer;
      c.fs.put(abs, std::move(copy));
    }
  }
  c.recognise("touch", fmt::format("creates or touches {} file(s)", a.positional.size()));
  return 0;
}

int f_tee(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {}, 1);
  bool append = a.has("-a") || a.has("--append");
  const Stream* in = inv.in;
  for (auto p : a.positional) {
    std::string abs = c.abs(p);
    if (c.on_mount(abs)) continue;
    if (in && in->kind == Stream::Kind::Text) {
      std::string content = in->text;
      const FileNode* old = append ? c.fs.find(abs) : nullptr;
      if (old && old->content) content = *old->content + content;
      c.write_text(abs, std::move(content));
      if (!in->reproducible) c.non_reproducible("tee: output depends on the clock");
    } else {
      c.write_unknown(abs, 0, "tee of an unknown stream", true);
      if (in && in->kind == Stream::Kind::Network) c.output_unknown();
    }
  }
  if (in) inv.out = *in;
  c.recognise("tee", fmt::format("writes {} file(s)", a.positional.size()));
  return 0;
}

int f_install(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory"}, 1);
  auto mode = a.value("-m", "--mode");
  if (a.has("-d") || a.has("--directory")) {
    for (auto p : a.positional) c.mkdir(c.abs(p));
    c.recognise("install -d", "creates directories");
    return 0;
  }
  if (a.positional.size() < 2) return 1;
  std::string dest = c.abs(a.positional.back());
  bool into_dir = c.fs.is_dir(dest) || a.positional.size() > 2;
  for (size_t k = 0; k + 1 < a.positional.size(); ++k) {
    std::string src = c.abs(a.positional[k]);
    const FileNode* n = c.fs.find(src);
    if (!n) {
      if (!summary_ancestor(c, src) && !c.unknown_input("install " + std::string(a.positional[k]), src))
        c.fail(fmt::format("install: cannot stat '{}': no such file or directory", a.positional[k]));
      continue;
    }
    std::string target = into_dir ? clean_abs(base_name(src), dest) : dest;
    FileNode copy = *n;
    copy.layer = c.layer;
    copy.uid = 0;
    copy.gid = 0;
    copy.mode = mode ? parse_mode(*mode, 0755, false) : 0755;
    c.key(n->hash);
    c.fs.put(target, std::move(copy));
  }
  c.recognise("install", fmt::format("installs {} file(s)", a.positional.size() - 1));
  return 0;
}

// find DIR [-name P] [-type f|d] -delete | -exec rm ... {} ;|+
int f_find(Ctx& c, Inv& inv) {
  const auto& av = inv.argv;
  size_t k = 1;
  std::vector<std::string> roots;
  while (k < av.size() && !av[k].empty() && av[k][0] != '-' && av[k] != "(" && av[k] != "!") roots.push_back(av[k++]);
  if (roots.empty()) roots.push_back(".");
  std::string name_pat;
  char type = 0;
  bool del = false, exec_rm = false, other_action = false;
  int maxdepth = -1, mindepth = 0;
  for (; k < av.size(); ++k) {
    const std::string& a = av[k];
    if ((a == "-name" || a == "-iname") && k + 1 < av.size()) name_pat = av[++k];
    else if (a == "-type" && k + 1 < av.size()) type = av[++k].empty() ? 0 : av[k][0];
    else if (a == "-maxdepth" && k + 1 < av.size()) maxdepth = std::atoi(av[++k].c_str());
    else if (a == "-mindepth" && k + 1 < av.size()) mindepth = std::atoi(av[++k].c_str());
    else if (a == "-delete") del = true;
    else if (a == "-exec" || a == "-execdir") {
      if (k + 1 < av.size() && (av[k + 1] == "rm")) exec_rm = true;
      else other_action = true;
      while (k < av.size() && av[k] != ";" && av[k] != "+") ++k;
    } else if (a == "-o" || a == "-or" || a == "(" || a == ")" || a == "!" || a == "-not") {
      if (del || exec_rm) other_action = true;
    }
  }
  if (!del && !exec_rm) {
    if (other_action) c.unknown("find -exec", "the executed command is not simulated");
    else c.recognise("find", "lists files (no change)");
    return 0;
  }
  if (other_action) {
    c.unknown("find", "complex expression not simulated");
    return 0;
  }
  uint64_t bytes = 0;
  size_t count = 0;
  for (const auto& r : roots) {
    std::string root = c.abs(r);
    std::vector<std::string> hits;
    c.fs.for_each_under(root, [&](const std::string& p, const FileNode& n) {
      std::string_view rel = relative_to(p, root);
      int depth = 1 + static_cast<int>(std::count(rel.begin(), rel.end(), '/'));
      if (maxdepth >= 0 && depth > maxdepth) return;
      if (depth < mindepth) return;
      if (type == 'f' && !n.is_file()) return;
      if (type == 'd' && !n.is_dir()) return;
      if (!name_pat.empty() && !sh::glob_match(name_pat, base_name(p))) return;
      hits.push_back(p);
    });
    for (const auto& h : hits) {
      if (!c.fs.exists(h)) continue;
      bytes += c.remove(h);
      ++count;
    }
  }
  c.recognise("find -delete", fmt::format("removes {} matching path(s), {}", count, human_size(bytes)));
  return 0;
}

int f_sed(Ctx& c, Inv& inv) {
  bool in_place = false;
  for (size_t k = 1; k < inv.argv.size(); ++k)
    if (inv.argv[k].rfind("-i", 0) == 0 || inv.argv[k].rfind("--in-place", 0) == 0) in_place = true;
  if (!in_place) {
    // Filters stdin or files to stdout.
    inv.out.kind = Stream::Kind::Unknown;
    c.recognise("sed", "filters text (no change)");
    return 0;
  }
  Args a = parse_args(inv, {"-e", "--expression", "-f", "--file"}, 1);
  std::vector<std::string_view> files = a.positional;
  std::string script;
  if (auto e = a.value("-e", "--expression")) script = std::string(*e);
  else if (!files.empty()) {
    script = std::string(files.front());
    files.erase(files.begin());
  }
  for (auto f : files) {
    std::string p = c.abs(f);
    const FileNode* n = c.fs.find(p);
    if (!n) {
      if (!summary_ancestor(c, p) && !c.unknown_input("sed " + std::string(f), p))
        c.fail(fmt::format("sed: can't read {}: no such file or directory", f));
      continue;
    }
    FileNode copy = *n;
    copy.layer = c.layer;
    copy.content.reset();
    copy.hash = n->hash ? hash_combine(n->hash, script) : 0;
    copy.estimated = true;
    copy.source = "edited in place by sed (content not modelled)";
    c.fs.put(p, std::move(copy));
  }
  c.recognise("sed -i", fmt::format("edits {} file(s) in place", files.size()));
  return 0;
}

// ---- archives ----

std::string archive_stem(std::string_view name) {
  std::string s(base_name(clean_abs(name)));
  for (std::string_view ext : {".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2", ".tar.zst", ".tar", ".zip", ".gz"}) {
    if (s.size() > ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0) {
      s.resize(s.size() - ext.size());
      break;
    }
  }
  return s;
}

double expansion_ratio(std::string_view name) {
  if (name.find(".tar") != std::string_view::npos && name.size() >= 4 &&
      name.substr(name.size() - 4) == ".tar")
    return 1.0;
  if (name.find(".xz") != std::string_view::npos || name.find(".txz") != std::string_view::npos) return 3.5;
  return fig::tar_gz_ratio.value;
}

// Extracts an archive of `size` bytes (estimated or not) into `dir`.
void extract(Ctx& c, std::string_view tool, std::string_view archive, uint64_t archive_size, uint64_t identity,
             const std::string& dir, bool size_known, std::string_view origin) {
  uint64_t size = mb(static_cast<double>(archive_size) * expansion_ratio(archive));
  std::string target = dir;
  bool empty_dir = !c.fs.exists(dir) || (c.fs.is_dir(dir) && c.fs.children(dir).empty() && !c.fs.find(dir)->summary);
  if (!empty_dir) target = clean_abs(archive_stem(archive.empty() ? "archive" : archive), dir);
  std::string src = fmt::format("{} of {} ({} x {}; {})", tool, origin, human_size(archive_size), expansion_ratio(archive),
                                fig::tar_gz_ratio.source);
  c.put_summary(target, size, hash_combine(identity, target), src, true);
  if (!size_known) c.output_unknown();
  c.time(0.2 + static_cast<double>(size) / 1e8);
  c.recognise(std::string(tool), fmt::format("extracts {} into {} ({} estimated)", archive.empty() ? "stdin" : archive,
                                             target, human_size(size)));
  if (!empty_dir) c.note(fmt::format("{}: contents modelled as one summary at {}", tool, target));
}

int f_tar(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  // Old-style first argument without dash: "tar xzf file".
  std::vector<std::string> argv = inv.argv;
  if (argv.size() > 1 && !argv[1].empty() && argv[1][0] != '-') argv[1] = "-" + argv[1];
  Inv copy;
  copy.argv = std::move(argv);
  Args a = parse_args(copy, {"-f", "--file", "-C", "--directory", "--strip-components", "--exclude", "-T",
                             "--files-from", "--owner", "--group", "--mode"}, 1);
  bool extract_mode = a.has("-x") || a.has("--extract") || a.has("--get");
  bool create = a.has("-c") || a.has("--create");
  auto file = a.value("-f", "--file");
  std::string dir = c.abs(a.value("-C", "--directory").value_or("."));
  if (extract_mode) {
    if (!file || *file == "-") {
      const Stream* in = inv.in;
      if (in && in->kind == Stream::Kind::Network) {
        extract(c, "tar -x", in->url.empty() ? "download" : std::string(base_name(in->url)),
                mb(fig::download_default.value), content_hash(in->url), dir, false,
                fmt::format("a download ({})", fig::download_default.source));
        c.key(in->url);
        return 0;
      }
      c.unknown("tar -x", "archive from an unknown stream");
      return 0;
    }
    std::string p = c.abs(*file);
    const FileNode* n = c.fs.find(p);
    if (!n) {
      if (c.unknown_input("tar -x " + std::string(*file), p)) {
        if (!c.fs.exists(dir)) c.mkdir(dir);
        return 0;
      }
      c.fail(fmt::format("tar: {}: cannot open: no such file or directory", *file));
      return 2;
    }
    c.key(n->hash);
    extract(c, "tar -x", *file, n->size, n->hash, dir, n->hash != 0, std::string(*file));
    return 0;
  }
  if (create) {
    uint64_t total = 0;
    uint64_t h = 0;
    for (auto s : a.positional) {
      std::string p = clean_abs(s, dir);
      total += c.fs.size_under(p);
      h = hash_combine(h, c.tree_hash(p, [](const std::string&, const FileNode&) { return true; }));
    }
    bool gz = a.has("-z") || a.has("--gzip") || a.has("-J") || a.has("-j");
    uint64_t size = gz ? mb(static_cast<double>(total) / fig::tar_gz_ratio.value) : total;
    if (file && *file != "-") {
      FileNode out;
      out.size = size;
      out.layer = c.layer;
      out.uid = c.user.uid;
      out.gid = c.user.gid;
      out.hash = hash_combine(h, size);
      out.estimated = gz;
      out.source = "tar -c of the listed paths";
      c.fs.put(c.abs(*file), std::move(out));
    }
    c.key(h);
    c.recognise("tar -c", fmt::format("archives {} ({})", human_size(total), human_size(size)));
    c.note("tar archives record modification times: the archive differs on every build unless --mtime is fixed");
    return 0;
  }
  c.recognise("tar", "lists an archive (no change)");
  return 0;
}

int f_unzip(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"-d", "-x"}, 1);
  if (a.positional.empty()) return 1;
  std::string p = c.abs(a.positional[0]);
  const FileNode* n = c.fs.find(p);
  if (!n) {
    c.fail(fmt::format("unzip: cannot find or open {}", a.positional[0]));
    return 9;
  }
  c.key(n->hash);
  extract(c, "unzip", a.positional[0], n->size, n->hash, c.abs(a.value("-d").value_or(".")), n->hash != 0,
          std::string(a.positional[0]));
  return 0;
}

int f_gzip(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-S"}, 1);
  bool decompress = inv.name == "gunzip" || a.has("-d") || a.has("--decompress");
  bool keep = a.has("-k") || a.has("--keep") || a.has("-c") || a.has("--stdout");
  if (a.has("-c") || a.has("--stdout")) {
    c.recognise(std::string(inv.name), "writes to stdout");
    return 0;
  }
  for (auto f : a.positional) {
    std::string p = c.abs(f);
    const FileNode* n = c.fs.find(p);
    if (!n) continue;
    FileNode out = *n;
    out.layer = c.layer;
    out.content.reset();
    out.estimated = true;
    out.hash = hash_combine(n->hash, decompress ? "gunzip" : "gzip");
    out.size = decompress ? mb(static_cast<double>(n->size) * fig::tar_gz_ratio.value)
                          : mb(static_cast<double>(n->size) / fig::tar_gz_ratio.value);
    out.source = fig::tar_gz_ratio.source;
    std::string target = p;
    if (decompress && target.size() > 3 && target.substr(target.size() - 3) == ".gz") target.resize(target.size() - 3);
    else if (!decompress) target += ".gz";
    c.key(n->hash);
    c.fs.put(target, std::move(out));
    if (!keep) c.remove(p);
  }
  c.recognise(std::string(inv.name), fmt::format("{} {} file(s)", decompress ? "decompresses" : "compresses", a.positional.size()));
  return 0;
}

// ---- downloads ----

std::string url_basename(std::string_view url) {
  size_t q = url.find_first_of("?#");
  if (q != std::string_view::npos) url = url.substr(0, q);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  size_t s = url.rfind('/');
  std::string_view b = s == std::string_view::npos ? url : url.substr(s + 1);
  return b.empty() ? std::string("index.html") : std::string(b);
}

bool looks_like_url(std::string_view s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0 || s.rfind("ftp://", 0) == 0 ||
         s.find("://") != std::string_view::npos;
}

void download_to(Ctx& c, std::string_view tool, std::string_view url, const std::string& path) {
  if (c.on_mount(path)) return;
  FileNode n;
  n.size = mb(fig::download_default.value);
  n.layer = c.layer;
  n.uid = c.user.uid;
  n.gid = c.user.gid;
  n.estimated = true;
  n.hash = 0;  // network content: unknown
  n.source = fmt::format("download from {} (size unknown; {})", url, fig::download_default.source);
  c.fs.put(path, std::move(n));
  c.eff.estimated = true;
  c.output_unknown();
  c.time(2.0, 2.0);
  c.recognise(std::string(tool), fmt::format("downloads {} to {} (size unknown, estimated {})", url, path,
                                             human_size(mb(fig::download_default.value))));
}

void network_note(Ctx& c, std::string_view tool) {
  if (c.in.os_family == "alpine" && tool == "curl" && !c.fs.exists("/usr/bin/curl") &&
      !c.fs.exists("/usr/share/dfplay/packages/curl"))
    c.note("curl is not part of Alpine base images unless installed (apk add curl); busybox wget is");
}

int f_curl(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {"-o", "--output", "-H", "--header", "-u", "--user", "-d", "--data", "-X",
                            "--request", "-A", "--user-agent", "--retry", "--connect-timeout", "-m",
                            "--max-time", "-w", "--write-out", "-e", "--referer", "--cacert", "-T",
                            "--upload-file", "--proto", "--tlsv1.2", "-b", "--cookie", "-c", "--cookie-jar",
                            "--retry-delay", "--retry-max-time", "-x", "--proxy"},
                      1);
  network_note(c, "curl");
  std::vector<std::string_view> urls;
  for (auto p : a.positional)
    if (looks_like_url(p) || p.find('.') != std::string_view::npos) urls.push_back(p);
  if (urls.empty()) {
    c.unknown("curl", "no URL");
    return 0;
  }
  auto out = a.value("-o", "--output");
  bool remote_name = a.has("-O") || a.has("--remote-name");
  if (out && *out != "-") {
    std::string p = c.abs(*out);
    if (a.has("--create-dirs")) c.mkdir(std::string(parent_path(p)));
    download_to(c, "curl", urls[0], p);
    inv.out.kind = Stream::Kind::None;
    return 0;
  }
  if (remote_name) {
    for (auto u : urls) download_to(c, "curl", u, c.abs(url_basename(u)));
    inv.out.kind = Stream::Kind::None;
    return 0;
  }
  inv.out.kind = Stream::Kind::Network;
  inv.out.url = std::string(urls[0]);
  c.output_unknown();
  c.time(1.0, 1.0);
  c.recognise("curl", fmt::format("fetches {}", urls[0]));
  return 0;
}

int f_wget(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {"-O", "--output-document", "-P", "--directory-prefix", "-o", "--output-file", "-U",
                            "--user-agent", "--header", "-T", "--timeout", "-t", "--tries"},
                      1);
  std::vector<std::string_view> urls;
  for (auto p : a.positional)
    if (looks_like_url(p) || p.find('.') != std::string_view::npos) urls.push_back(p);
  if (urls.empty()) {
    c.unknown("wget", "no URL");
    return 0;
  }
  auto out = a.value("-O", "--output-document");
  if (out && *out == "-") {
    inv.out.kind = Stream::Kind::Network;
    inv.out.url = std::string(urls[0]);
    c.output_unknown();
    c.time(1.0, 1.0);
    c.recognise("wget", fmt::format("fetches {}", urls[0]));
    return 0;
  }
  inv.out.kind = Stream::Kind::None;
  std::string prefix = c.abs(a.value("-P", "--directory-prefix").value_or("."));
  for (auto u : urls) download_to(c, "wget", u, out ? c.abs(*out) : clean_abs(url_basename(u), prefix));
  return 0;
}

int f_git(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  size_t k = 1;
  while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) {
    if (inv.argv[k] == "-C" || inv.argv[k] == "-c") ++k;
    ++k;
  }
  if (k >= inv.argv.size()) return 0;
  std::string_view sub = inv.argv[k];
  if (sub == "clone") {
    Args a = parse_args(inv, {"--depth", "-b", "--branch", "--origin", "-o", "--reference", "--filter", "-c",
                              "--config", "-j", "--jobs", "--shallow-since"},
                        k + 1);
    if (a.positional.empty()) return 128;
    std::string_view url = a.positional[0];
    std::string name = url_basename(url);
    if (name.size() > 4 && name.substr(name.size() - 4) == ".git") name.resize(name.size() - 4);
    std::string dir = c.abs(a.positional.size() > 1 ? std::string(a.positional[1]) : name);
    bool shallow = a.value("--depth").has_value();
    const fig::Figure& f = shallow ? fig::git_clone_shallow : fig::git_clone_default;
    c.put_summary(dir, mb(f.value), content_hash(url), fmt::format("git clone of {} ({})", url, f.source), true);
    c.output_unknown();
    c.time(3.0, 3.0);
    c.recognise("git clone", fmt::format("clones {} into {} (size unknown, estimated {})", url, dir,
                                         human_size(mb(f.value))));
    if (!shallow) c.note("git clone keeps the whole history in .git: --depth 1 makes it smaller");
    return 0;
  }
  if (sub == "config" || sub == "rev-parse" || sub == "describe" || sub == "log" || sub == "status" ||
      sub == "--version" || sub == "version" || sub == "show") {
    c.recognise("git " + std::string(sub), "reads the repository (no change)");
    return 0;
  }
  c.unknown("git " + std::string(sub));
  return 0;
}

// ---- users and groups ----

struct Account {
  std::string name;
  uint32_t uid = 0, gid = 0;
  std::string home, shell = "/bin/sh", group;
  bool system = false, create_home = false, own_group = true;
  std::optional<uint32_t> want_uid, want_gid;
};

std::vector<uint32_t> used_ids(const Ctx& c, std::string_view file) {
  std::vector<uint32_t> ids;
  for_each_id_record(c, file, [&](std::string_view, uint32_t v) {
    ids.push_back(v);
    return true;
  });
  return ids;
}

bool name_exists(const Ctx& c, std::string_view file, std::string_view name) {
  if (name == "root") return true;
  if (name.find_first_not_of("0123456789") == std::string_view::npos) return false;
  uint32_t id;
  return lookup_id(c, file, name, id);
}

uint32_t next_id(const std::vector<uint32_t>& used, bool system, bool alpine) {
  if (system) {
    if (alpine) {
      for (uint32_t id = 100; id < 1000; ++id)
        if (std::find(used.begin(), used.end(), id) == used.end()) return id;
    }
    for (uint32_t id = 999; id >= 100; --id)
      if (std::find(used.begin(), used.end(), id) == used.end()) return id;
    return 999;
  }
  uint32_t max = 999;
  for (uint32_t id : used)
    if (id >= 1000 && id < 60000 && id > max) max = id;
  return max + 1;
}

void append_line(Ctx& c, const std::string& file, const std::string& line, uint32_t mode = 0644) {
  const FileNode* f = c.fs.find(file);
  if (f && f->content) {
    c.write_text(file, *f->content + line + "\n", f->mode);
    FileNode n = *c.fs.find(file);
    n.uid = f->uid;
    n.gid = f->gid;
    c.fs.put(file, std::move(n));
    return;
  }
  if (!f) {
    // Absent (or unknown because inside a summary): model it with the new line only.
    FileNode n = file_node(line + "\n", c.layer, mode);
    if (summary_ancestor(c, file)) {
      n.content.reset();
      n.estimated = true;
      n.source = "grew by one line (previous content not modelled)";
    }
    c.fs.put(file, std::move(n));
    return;
  }
  FileNode n = *f;
  n.layer = c.layer;
  n.size += line.size() + 1;
  n.hash = hash_combine(f->hash, line);
  c.fs.put(file, std::move(n));
}

void create_account(Ctx& c, Account& acc, std::string_view tool) {
  bool alpine = c.in.os_family == "alpine";
  if (name_exists(c, "/etc/passwd", acc.name)) {
    c.fail(fmt::format("{}: user '{}' already exists", tool, acc.name));
    return;
  }
  auto uids = used_ids(c, "/etc/passwd");
  auto gids = used_ids(c, "/etc/group");
  acc.uid = acc.want_uid ? *acc.want_uid : next_id(uids, acc.system, alpine);
  if (!acc.group.empty()) {
    uint32_t g = 0;
    if (lookup_id(c, "/etc/group", acc.group, g)) acc.gid = g;
    else {
      const FileNode* gr = c.fs.find("/etc/group");
      if (gr && gr->content) {
        c.fail(fmt::format("{}: group '{}' does not exist", tool, acc.group));
        return;
      }
      acc.gid = acc.uid;
    }
    acc.own_group = false;
  } else if (acc.own_group) {
    acc.gid = acc.want_gid ? *acc.want_gid : (std::find(gids.begin(), gids.end(), acc.uid) == gids.end() ? acc.uid : next_id(gids, acc.system, alpine));
    append_line(c, "/etc/group", fmt::format("{}:x:{}:", acc.name, acc.gid));
    if (!alpine) append_line(c, "/etc/gshadow", fmt::format("{}:!::", acc.name), 0640);
  } else {
    acc.gid = 100;  // "users" (useradd -N)
  }
  if (acc.home.empty()) acc.home = "/home/" + acc.name;
  append_line(c, "/etc/passwd", fmt::format("{}:x:{}:{}::{}:{}", acc.name, acc.uid, acc.gid, acc.home, acc.shell));
  append_line(c, "/etc/shadow", fmt::format("{}:!:19000:0:99999:7:::", acc.name), 0640);
  if (acc.create_home && !c.fs.exists(acc.home)) {
    FileNode d = dir_node(c.layer, 0755);
    d.uid = acc.uid;
    d.gid = acc.gid;
    c.fs.mkdir_p(std::string(parent_path(acc.home)), c.layer);
    c.fs.put(acc.home, std::move(d));
    if (!alpine) {
      // /etc/skel dotfiles (Debian: .bashrc, .profile, .bash_logout).
      FileNode skel;
      skel.size = mb(fig::home_skeleton.value);
      skel.layer = c.layer;
      skel.uid = acc.uid;
      skel.gid = acc.gid;
      skel.estimated = true;
      skel.hash = content_hash("skel");
      skel.source = fig::home_skeleton.source;
      c.fs.put(acc.home + "/.bashrc", std::move(skel));
    }
  }
  c.key(fmt::format("{}:{}:{}", acc.name, acc.uid, acc.gid));
  c.time(0.1);
  c.recognise(std::string(tool), fmt::format("creates user {} (uid {}, gid {}){}", acc.name, acc.uid, acc.gid,
                                             acc.create_home ? fmt::format(", home {}", acc.home) : ""));
}

bool shadow_missing(Ctx& c, std::string_view tool) {
  if (c.in.os_family != "alpine") return false;
  if (c.fs.exists("/usr/share/dfplay/packages/shadow") || c.fs.exists("/usr/sbin/" + std::string(tool))) return false;
  c.fail(fmt::format("{}: not found (Alpine's busybox has adduser/addgroup; {} needs `apk add shadow`)", tool, tool));
  return true;
}

int f_useradd(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  if (shadow_missing(c, inv.name)) return 127;
  Args a = parse_args(inv, {"-u", "--uid", "-g", "--gid", "-G", "--groups", "-d", "--home-dir", "--home", "-s",
                            "--shell", "-c", "--comment", "-k", "--skel", "-e", "-f", "-K", "-p", "--password", "-b",
                            "--base-dir"},
                      1);
  if (a.positional.empty()) return 2;
  Account acc;
  acc.name = std::string(a.positional.back());
  acc.system = a.has("-r") || a.has("--system");
  acc.create_home = (a.has("-m") || a.has("--create-home")) && !a.has("-M");
  acc.own_group = !(a.has("-N") || a.has("--no-user-group"));
  if (auto v = a.value("-u", "--uid")) acc.want_uid = static_cast<uint32_t>(std::strtoul(std::string(*v).c_str(), nullptr, 10));
  if (auto v = a.value("-g", "--gid")) acc.group = std::string(*v);
  if (auto v = a.value("-d", "--home-dir")) acc.home = c.abs(*v);
  if (auto v = a.value("-s", "--shell")) acc.shell = std::string(*v);
  if (acc.system && !a.value("-d", "--home-dir")) acc.home = "/home/" + acc.name;
  create_account(c, acc, "useradd");
  if (!acc.create_home && !acc.system) c.note("useradd without -m creates no home directory (Debian's default)");
  return 0;
}

int f_adduser(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  bool busybox = c.in.os_family == "alpine" || c.in.os_family == "busybox";
  Account acc;
  if (busybox) {
    Args a = parse_args(inv, {"-h", "-g", "-s", "-G", "-u", "-k"}, 1);
    if (a.positional.empty()) return 1;
    acc.name = std::string(a.positional[0]);
    acc.system = a.has("-S");
    acc.create_home = !a.has("-H");
    if (auto v = a.value("-u")) acc.want_uid = static_cast<uint32_t>(std::strtoul(std::string(*v).c_str(), nullptr, 10));
    if (auto v = a.value("-G")) acc.group = std::string(*v);
    else if (a.positional.size() > 1) acc.group = std::string(a.positional[1]);
    if (auto v = a.value("-h")) acc.home = c.abs(*v);
    if (auto v = a.value("-s")) acc.shell = std::string(*v);
  } else {
    Args a = parse_args(inv, {"--home", "--shell", "--uid", "--gid", "--ingroup", "--gecos", "--firstuid",
                              "--lastuid", "--comment"},
                        1);
    if (a.positional.empty()) return 1;
    if (a.positional.size() == 2) {
      // `adduser USER GROUP`: adds an existing user to a group.
      append_line(c, "/etc/group", fmt::format("# {} added to {}", a.positional[0], a.positional[1]));
      c.recognise("adduser", fmt::format("adds {} to group {}", a.positional[0], a.positional[1]));
      return 0;
    }
    acc.name = std::string(a.positional[0]);
    acc.system = a.has("--system");
    acc.create_home = !a.has("--no-create-home") && (!acc.system || a.value("--home"));
    acc.own_group = !acc.system || a.has("--group");
    if (auto v = a.value("--uid")) acc.want_uid = static_cast<uint32_t>(std::strtoul(std::string(*v).c_str(), nullptr, 10));
    if (auto v = a.value("--ingroup")) acc.group = std::string(*v);
    if (auto v = a.value("--gid")) acc.group = std::string(*v);
    if (auto v = a.value("--home")) acc.home = c.abs(*v);
    if (auto v = a.value("--shell")) acc.shell = std::string(*v);
    if (acc.system && !a.value("--home")) acc.home = "/nonexistent";
  }
  create_account(c, acc, "adduser");
  return 0;
}

int f_groupadd(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  bool busybox_addgroup = inv.name == "addgroup" && (c.in.os_family == "alpine" || c.in.os_family == "busybox");
  if (inv.name == "groupadd" && shadow_missing(c, inv.name)) return 127;
  Args a = parse_args(inv, {"-g", "--gid", "-K", "-p"}, 1);
  if (a.positional.empty()) return 2;
  if (a.positional.size() == 2 && (busybox_addgroup || inv.name == "addgroup")) {
    // addgroup USER GROUP: adds a user to a group.
    c.recognise(std::string(inv.name), fmt::format("adds {} to group {}", a.positional[0], a.positional[1]));
    append_line(c, "/etc/group", fmt::format("# {} added to {}", a.positional[0], a.positional[1]));
    return 0;
  }
  std::string name(a.positional[0]);
  if (name_exists(c, "/etc/group", name)) {
    if (!(a.has("-f") || a.has("--force"))) c.fail(fmt::format("{}: group '{}' already exists", inv.name, name));
    return 0;
  }
  bool system = a.has("-r") || a.has("--system") || a.has("-S");
  uint32_t gid;
  if (auto v = a.value("-g", "--gid")) gid = static_cast<uint32_t>(std::strtoul(std::string(*v).c_str(), nullptr, 10));
  else gid = next_id(used_ids(c, "/etc/group"), system, c.in.os_family == "alpine");
  append_line(c, "/etc/group", fmt::format("{}:x:{}:", name, gid));
  c.key(fmt::format("group {}:{}", name, gid));
  c.recognise(std::string(inv.name), fmt::format("creates group {} (gid {})", name, gid));
  return 0;
}

int f_usermod(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  for (const char* f : {"/etc/passwd", "/etc/group"}) {
    const FileNode* n = c.fs.find(f);
    if (!n) continue;
    FileNode copy = *n;
    copy.layer = c.layer;
    copy.content.reset();
    copy.hash = hash_combine(n->hash, inv.argv.size() > 1 ? inv.argv.back() : "");
    c.fs.put(f, std::move(copy));
  }
  c.recognise(std::string(inv.name), "modifies an account (/etc/passwd, /etc/group)");
  return 0;
}

int f_small_system(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  c.time(0.5);
  c.recognise(std::string(inv.name), "updates small system files (not modelled)");
  return 0;
}

}  // namespace

void register_fs(Registry& r) {
  r.add("rm", f_rm);
  r.add("rmdir", f_rmdir);
  r.add("mkdir", f_mkdir);
  r.add("cp", f_cp_);
  r.add("mv", f_mv);
  r.add("chmod", f_chmod);
  r.add("chown", f_chown);
  r.add("chgrp", f_chown);
  r.add("ln", f_ln);
  r.add("touch", f_touch);
  r.add("tee", f_tee);
  r.add("install", f_install);
  r.add("find", f_find);
  r.add("sed", f_sed);
  r.add("tar", f_tar);
  r.add("unzip", f_unzip);
  r.add("gzip", f_gzip);
  r.add("gunzip", f_gzip);
  r.add("curl", f_curl);
  r.add("wget", f_wget);
  r.add("git", f_git);
  r.add("useradd", f_useradd);
  r.add("adduser", f_adduser);
  r.add("groupadd", f_groupadd);
  r.add("addgroup", f_groupadd);
  r.add("usermod", f_usermod);
  r.add("gpasswd", f_usermod);
  for (auto n : {"update-ca-certificates", "ldconfig", "locale-gen", "update-alternatives", "dpkg-reconfigure",
                 "fc-cache", "ln-", "c_rehash"})
    r.add(n, f_small_system);
}

}  // namespace dfplay::sim::detail
