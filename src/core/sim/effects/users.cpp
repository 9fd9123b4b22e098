// User management on /etc/passwd, /etc/group and /etc/shadow: useradd, adduser, groupadd,
// addgroup, usermod (gpasswd).
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {
namespace {

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

}  // namespace

void register_users(Registry& r) {
  r.add("useradd", f_useradd);
  r.add("adduser", f_adduser);
  r.add("groupadd", f_groupadd);
  r.add("addgroup", f_groupadd);
  r.add("usermod", f_usermod);
  r.add("gpasswd", f_usermod);
}

}  // namespace dfplay::sim::detail
