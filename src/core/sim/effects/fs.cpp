// File utilities (rm, mkdir, cp, mv, chmod, chown, ln, touch, tee, install, find -delete, sed -i)
// and small system commands. Archives and downloads: fetch.cpp; users and groups: users.cpp.
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

// The nearest summary ancestor of a path that does not exist (a base-image directory).
const FileNode* summary_ancestor(const Ctx& c, std::string_view path, std::string* where) {
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

namespace {

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
  for (auto n : {"update-ca-certificates", "ldconfig", "locale-gen", "update-alternatives", "dpkg-reconfigure",
                 "fc-cache", "ln-", "c_rehash"})
    r.add(n, f_small_system);
}

}  // namespace dfplay::sim::detail
