// OS package managers: apk (add, del, update, upgrade), apt-get / apt (update, install, remove,
// purge, autoremove, clean, upgrade), yum / dnf / microdnf (install, clean), dpkg -i.
//
// Installed packages are modelled as one summary node per package under
// /usr/share/dfplay/packages/<name> (the real files are spread over /usr, /etc, /lib...).
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

constexpr std::string_view kPkgDir = "/usr/share/dfplay/packages";

struct Known {
  std::string_view name;
  double mib;
};
// apk (Alpine 3.2x, installed size with dependencies).
constexpr Known kApk[] = {
    {"curl", 5.0}, {"ca-certificates", 0.5}, {"git", 17.5}, {"build-base", 230.0}, {"gcc", 163.0},
};
// apt-get install --no-install-recommends (bookworm, Installed-Size of the Depends closure).
constexpr Known kApt[] = {
    {"build-essential", 262.0}, {"curl", 11.0}, {"git", 57.0}, {"ca-certificates", 8.5},
    {"python3", 32.0},          {"python3-pip", 46.0},
};
constexpr const char* kApkSource =
    "apk add (Alpine 3.2x, installed): curl ~5 MiB, ca-certificates ~0.2-0.7 MiB, git ~15-20 MiB (estimate), "
    "build-base ~230 MiB (Homebrew/ci-orchestrator PR#467), gcc 163 MiB";
constexpr const char* kAptSource =
    "apt-get install --no-install-recommends (bookworm, computed from apt metadata): build-essential +262 MiB, "
    "curl +11, git +57, ca-certificates +8.5, python3 +32, python3-pip +46 MiB";

double known_size(std::string_view pm, std::string_view name, bool* known) {
  const Known* begin = pm == "apk" ? std::begin(kApk) : std::begin(kApt);
  const Known* end = pm == "apk" ? std::end(kApk) : std::end(kApt);
  for (const Known* k = begin; k != end; ++k)
    if (k->name == name) {
      *known = true;
      return k->mib * fig::kMiB;
    }
  *known = false;
  return pm == "apk" ? fig::apk_default.value : fig::apt_default.value;
}

std::string strip_version(std::string_view spec) {
  // curl=8.5.0-r0, python3=3.11*, libfoo>1.0
  size_t cut = spec.find_first_of("=<>~");
  return std::string(spec.substr(0, cut));
}

bool wrong_manager(Ctx& c, std::string_view tool, std::string_view needs) {
  std::string_view pm = c.in.package_manager;
  if (pm.empty() || pm == needs) return false;
  if (pm == "none")
    c.fail(fmt::format("{}: not found (the image has no package manager)", tool));
  else
    c.fail(fmt::format("{}: not found (this image uses {})", tool, pm));
  return true;
}

std::string pkg_path(std::string_view name) { return std::string(kPkgDir) + "/" + std::string(name); }

// Installs packages as summary nodes; returns the bytes added.
uint64_t install_packages(Ctx& c, std::string_view pm, const std::vector<std::string>& pkgs, double factor,
                          size_t& unknown_count, std::string_view group = {}) {
  uint64_t total = 0;
  // Built by appending (this runs for every package of every install).
  std::string factor_note = factor != 1.0 ? fmt::format("; x{} {}", factor, fig::apt_recommends_factor.source) : "";
  std::string path, identity;
  for (const auto& p : pkgs) {
    path.assign(kPkgDir).append("/").append(p);
    if (c.fs.exists(path)) continue;  // already installed
    bool known = false;
    double size = known_size(pm, p, &known) * factor;
    if (!known) ++unknown_count;
    std::string_view src = known ? (pm == "apk" ? kApkSource : kAptSource)
                                 : (pm == "apk" ? fig::apk_default.source : fig::apt_default.source);
    identity.assign(pm).append(" ").append(p);
    std::string description;
    description.reserve(pm.size() + p.size() + src.size() + factor_note.size() + 12);
    description.append(pm).append(" package ").append(p).append(": ").append(src).append(factor_note);
    c.put_summary(path, mb(size), content_hash(identity), std::move(description), true);
    total += mb(size);
  }
  if (!group.empty()) {
    std::string list;
    for (const auto& p : pkgs) list += p + "\n";
    c.write_text(pkg_path(group), list);
  }
  return total;
}

std::vector<std::string> group_members(const Ctx& c, std::string_view name) {
  std::vector<std::string> out;
  const FileNode* g = c.fs.find(pkg_path(name));
  if (!g || !g->content || g->summary) return out;
  size_t pos = 0;
  const std::string& t = *g->content;
  while (pos < t.size()) {
    size_t eol = t.find('\n', pos);
    if (eol == std::string::npos) eol = t.size();
    if (eol > pos) out.push_back(t.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return out;
}

int k_apk(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  if (wrong_manager(c, "apk", "apk")) return 127;
  Args a = parse_args(inv, {"-t", "--virtual", "-X", "--repository", "--repositories-file", "-p", "--root",
                            "--cache-dir", "--arch"},
                      1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  std::vector<std::string> pkgs;
  for (size_t k = 1; k < a.positional.size(); ++k) pkgs.push_back(strip_version(a.positional[k]));
  bool no_cache = a.has("--no-cache");
  std::string cache = "/var/cache/apk";
  auto index = [&]() {
    // Without --no-cache, the package index stays under /var/cache/apk.
    if (no_cache || c.on_mount(cache)) return;
    const FileNode* old = c.fs.find(cache);
    if (old && old->summary && old->size > 0) return;
    c.put_summary(cache, mb(fig::apk_index.value), content_hash("apk index"), fig::apk_index.source, true);
  };
  if (sub == "add") {
    std::string group(a.value("-t", "--virtual").value_or(""));
    size_t unknown = 0;
    c.output_unknown();  // package versions come from the repository at build time
    c.key(content_hash(fmt::format("apk add {}", fmt::join(pkgs, " "))));
    uint64_t bytes = install_packages(c, "apk", pkgs, 1.0, unknown, group);
    index();
    bool mounted = c.on_cache_mount(cache);
    double mbytes = static_cast<double>(bytes) / 1e6;
    double cold = fig::pkg_fixed_s.value + fig::pkg_s_per_mb.value * mbytes;
    c.time(cold, mounted ? fig::pkg_fixed_s.value + fig::pkg_s_per_mb.value * mbytes * 0.3 : cold);
    c.recognise("apk add", fmt::format("{} package(s){} -> {} ({} estimated){}", pkgs.size(),
                                       group.empty() ? "" : fmt::format(" as {}", group), kPkgDir, human_size(bytes),
                                       no_cache ? ", --no-cache" : ""),
                unknown ? fmt::format("{}; {}", kApkSource, fig::apk_default.source) : kApkSource);
    if (!no_cache && !c.on_mount(cache))
      c.note(fmt::format("apk add without --no-cache leaves the package index in /var/cache/apk (~{})",
                         human_size(mb(fig::apk_index.value))));
    return 0;
  }
  if (sub == "del" || sub == "delete") {
    uint64_t bytes = 0;
    for (const auto& p : pkgs) {
      auto members = group_members(c, p);
      for (const auto& m : members) bytes += c.remove(pkg_path(m));
      bytes += c.remove(pkg_path(p));
    }
    c.key(content_hash(fmt::format("apk del {}", fmt::join(pkgs, " "))));
    c.time(0.5);
    c.recognise("apk del", fmt::format("removes {} package(s) ({})", pkgs.size(), human_size(bytes)));
    return 0;
  }
  if (sub == "update") {
    c.output_unknown();
    index();
    c.time(2.0);
    c.recognise("apk update", "downloads the package index");
    return 0;
  }
  if (sub == "upgrade") {
    c.output_unknown();
    c.unknown("apk upgrade", "upgrades base-image packages: size change unknown");
    return 0;
  }
  if (sub == "cache" && a.positional.size() > 1 && a.positional[1] == "clean") {
    uint64_t bytes = c.fs.size_under(cache);
    c.remove(cache);
    c.recognise("apk cache clean", fmt::format("removes the package cache ({})", human_size(bytes)));
    return 0;
  }
  if (sub == "info" || sub == "search" || sub == "version" || sub == "policy" || sub == "list" || sub == "stats") {
    c.recognise("apk " + std::string(sub), "no change");
    return 0;
  }
  c.unknown("apk " + std::string(sub));
  return 0;
}

bool lists_present(const Ctx& c) {
  const FileNode* l = c.fs.find("/var/lib/apt/lists");
  if (!l) return false;
  if (l->summary) return l->size > 0;
  return !c.fs.children("/var/lib/apt/lists").empty();
}

int k_apt(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  std::string tool(inv.name);
  if (wrong_manager(c, tool, "apt")) return 127;
  Args a = parse_args(inv, {"-o", "-t", "--target-release", "-c", "--config-file"}, 1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  std::vector<std::string> pkgs;
  for (size_t k = 1; k < a.positional.size(); ++k) pkgs.push_back(strip_version(a.positional[k]));
  std::string lists = "/var/lib/apt/lists";
  if (sub == "update") {
    c.output_unknown();
    if (!c.on_mount(lists))
      c.put_summary(lists, mb(fig::apt_lists.value), content_hash("apt lists"), fig::apt_lists.source, true);
    bool mounted = c.on_cache_mount(lists);
    c.time(fig::apt_update_s.value, mounted ? fig::apt_update_s.value * 0.4 : fig::apt_update_s.value);
    c.recognise(tool + " update", fmt::format("downloads package lists into {} ({} estimated)", lists,
                                              human_size(mb(fig::apt_lists.value))),
                fig::apt_lists.source);
    return 0;
  }
  if (sub == "install") {
    bool assume_yes = a.has("-y") || a.has("--yes") || a.has("--assume-yes") || a.has("-qq");
    if (!assume_yes && pkgs.size() > 0) {
      c.fail(fmt::format("{} install without -y: when dependencies are needed it asks \"Do you want to continue? "
                         "[Y/n]\" and aborts (no terminal in a build)",
                         tool));
      return 1;
    }
    bool lists_ok = lists_present(c);
    if (!lists_ok) {
      bool local_debs = std::all_of(pkgs.begin(), pkgs.end(), [](const std::string& p) {
        return p.size() > 4 && p.substr(p.size() - 4) == ".deb";
      });
      if (!local_debs && !pkgs.empty()) {
        c.fail(fmt::format("{} install: E: Unable to locate package {} (no package lists: run apt-get update in the same RUN)",
                           tool, pkgs.front()));
        return 100;
      }
    }
    bool recommends = !a.has("--no-install-recommends");
    for (const auto& [n, v] : a.options)
      if (n == "-o" && v.find("Install-Recommends=false") != std::string_view::npos) recommends = false;
    if (recommends)
      c.note(fmt::format("{} install without --no-install-recommends pulls recommended packages too", tool));
    double factor = recommends ? fig::apt_recommends_factor.value : 1.0;
    size_t unknown = 0;
    c.output_unknown();
    c.key(content_hash(fmt::format("apt install {} {}", fmt::join(pkgs, " "), recommends)));
    uint64_t bytes = install_packages(c, "apt", pkgs, factor, unknown);
    double mbytes = static_cast<double>(bytes) / 1e6;
    bool mounted = c.on_cache_mount("/var/cache/apt");
    double cold = fig::pkg_fixed_s.value + fig::pkg_s_per_mb.value * mbytes;
    c.time(cold, mounted ? fig::pkg_fixed_s.value + fig::pkg_s_per_mb.value * mbytes * 0.3 : cold);
    c.recognise(tool + " install", fmt::format("{} package(s) -> {} ({} estimated){}", pkgs.size(), kPkgDir,
                                               human_size(bytes), recommends ? ", with recommends" : ""),
                unknown ? fmt::format("{}; {}", kAptSource, fig::apt_default.source) : kAptSource);
    return 0;
  }
  if (sub == "remove" || sub == "purge") {
    uint64_t bytes = 0;
    for (const auto& p : pkgs) bytes += c.remove(pkg_path(p));
    c.recognise(tool + " " + std::string(sub), fmt::format("removes {} package(s) ({})", pkgs.size(), human_size(bytes)));
    return 0;
  }
  if (sub == "autoremove" || sub == "autoclean") {
    c.recognise(tool + " " + std::string(sub), "removes unneeded packages (not modelled)");
    return 0;
  }
  if (sub == "clean") {
    uint64_t bytes = c.remove("/var/cache/apt/archives");
    c.recognise(tool + " clean",
                fmt::format("empties /var/cache/apt/archives ({}; Docker's Debian images already delete .deb files "
                            "after install)",
                            human_size(bytes)));
    return 0;
  }
  if (sub == "upgrade" || sub == "dist-upgrade" || sub == "full-upgrade") {
    c.output_unknown();
    c.unknown(tool + " " + std::string(sub), "upgrades base-image packages: size change unknown");
    return 0;
  }
  if (sub == "show" || sub == "policy" || sub == "search" || sub == "list" || sub == "depends" || sub == "-v" ||
      sub == "--version") {
    c.recognise(tool + " " + std::string(sub), "no change");
    return 0;
  }
  c.unknown(tool + " " + std::string(sub));
  return 0;
}

int k_yum(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  std::string tool(inv.name);
  Args a = parse_args(inv, {"--setopt", "--enablerepo", "--disablerepo", "--installroot", "--releasever"}, 1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  std::vector<std::string> pkgs;
  for (size_t k = 1; k < a.positional.size(); ++k) pkgs.push_back(strip_version(a.positional[k]));
  if (sub == "install") {
    size_t unknown = 0;
    c.output_unknown();
    uint64_t bytes = install_packages(c, "apt", pkgs, 1.0, unknown);
    c.put_summary("/var/cache/" + std::string(tool == "microdnf" ? "dnf" : tool), mb(30 * fig::kMB),
                  content_hash(tool + " metadata"), "dfplay estimate: repository metadata cache (~30 MB)", true);
    c.time(fig::pkg_fixed_s.value + 3.0 + fig::pkg_s_per_mb.value * static_cast<double>(bytes) / 1e6);
    c.recognise(tool + " install", fmt::format("{} package(s) ({} estimated)", pkgs.size(), human_size(bytes)),
                fig::apt_default.source);
    c.note(fmt::format("{}: `{} clean all` in the same RUN drops the metadata cache", tool, tool));
    return 0;
  }
  if (sub == "clean") {
    uint64_t bytes = c.remove("/var/cache/" + std::string(tool == "microdnf" ? "dnf" : tool));
    c.recognise(tool + " clean", fmt::format("removes the metadata cache ({})", human_size(bytes)));
    return 0;
  }
  if (sub == "remove" || sub == "erase") {
    for (const auto& p : pkgs) c.remove(pkg_path(p));
    c.recognise(tool + " remove", "removes packages");
    return 0;
  }
  c.unknown(tool + " " + std::string(sub));
  return 0;
}

int k_dpkg(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--root", "--admindir"}, 1);
  if (a.has("-i") || a.has("--install")) {
    uint64_t total = 0;
    for (auto p : a.positional) {
      const FileNode* deb = c.fs.find(c.abs(p));
      if (!deb) {
        c.fail(fmt::format("dpkg: error: cannot access archive '{}': no such file or directory", p));
        return 2;
      }
      uint64_t size = mb(static_cast<double>(deb->size) * fig::tar_gz_ratio.value);
      c.put_summary(pkg_path(std::string(base_name(clean_abs(p)))), size, deb->hash,
                    fmt::format("dpkg -i: {} x {} ({})", human_size(deb->size), fig::tar_gz_ratio.value, fig::tar_gz_ratio.source),
                    true);
      c.key(deb->hash);
      total += size;
    }
    c.recognise("dpkg -i", fmt::format("installs {} package file(s) ({} estimated)", a.positional.size(), human_size(total)));
    return 0;
  }
  c.recognise("dpkg", "no change");
  return 0;
}

}  // namespace

void register_pkg(Registry& r) {
  r.add("apk", k_apk);
  r.add("apt-get", k_apt);
  r.add("apt", k_apt);
  r.add("yum", k_yum);
  r.add("dnf", k_yum);
  r.add("microdnf", k_yum);
  r.add("dpkg", k_dpkg);
}

}  // namespace dfplay::sim::detail
