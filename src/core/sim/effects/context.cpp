// The execution context of one RUN (Ctx): environment, users, what was recognised, failures,
// timing, and writing files.
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects.h"
#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim::detail {

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

}  // namespace dfplay::sim::detail
