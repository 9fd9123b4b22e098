// Compiled-language toolchains: dotnet (restore, build, publish), cargo (build, fetch, install),
// Maven (mvn, ./mvnw), Gradle (gradle, ./gradlew). make: make.cpp.
#include <algorithm>
#include <cctype>
#include <set>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

bool ends_with(std::string_view s, std::string_view e) {
  return s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
}

void put_file(Ctx& c, const std::string& path, uint64_t size, uint64_t hash, std::string source, uint32_t mode = 0644) {
  FileNode n;
  n.size = size;
  n.mode = mode;
  n.layer = c.layer;
  n.uid = c.user.uid;
  n.gid = c.user.gid;
  n.hash = hash;
  n.estimated = true;
  n.source = std::move(source);
  c.fs.put(path, std::move(n));
  c.eff.estimated = true;
}

// Hash and size of the sources of a project directory, skipping build outputs.
struct Sources {
  uint64_t hash = 0, bytes = 0;
  size_t files = 0;
};
Sources project_sources(const Ctx& c, const std::string& dir, std::initializer_list<std::string_view> skip_dirs,
                        std::initializer_list<std::string_view> exts) {
  Sources s;
  s.hash = content_hash(dir);
  c.fs.for_each_under(dir, [&](const std::string& p, const FileNode& n) {
    if (n.is_dir() && !n.summary) return;
    std::string_view rel = relative_to(p, dir);
    std::string_view first = rel.substr(0, rel.find('/'));
    for (auto d : skip_dirs)
      if (first == d) return;
    if (!first.empty() && first[0] == '.' && first != ".mvn") return;
    bool keep = exts.size() == 0;
    for (auto e : exts) keep = keep || ends_with(rel, e);
    if (!keep) return;
    s.hash = hash_combine(s.hash, hash_combine(n.hash, rel));
    s.bytes += n.size;
    ++s.files;
  });
  return s;
}

// ---- dotnet ----

struct DotnetProject {
  std::string dir, file, name;
  const FileNode* node = nullptr;
  std::shared_ptr<const CsProj> info;
};

bool find_dotnet_project(Ctx& c, const std::vector<std::string_view>& positional, DotnetProject& p, std::string_view tool) {
  std::string target = c.cwd;
  if (!positional.empty()) target = c.abs(positional[0]);
  if (c.fs.exists(target) && !c.fs.is_dir(target)) {
    p.file = target;
  } else {
    std::vector<std::string> projects, solutions;
    c.fs.for_each_under(target, [&](const std::string& path, const FileNode& node) {
      std::string_view n = relative_to(path, target);
      if (n.find('/') != std::string_view::npos || node.is_dir()) return;
      if (ends_with(n, ".csproj") || ends_with(n, ".fsproj") || ends_with(n, ".vbproj")) projects.emplace_back(n);
      if (ends_with(n, ".sln")) solutions.emplace_back(n);
    });
    std::vector<std::string>& pick = projects.empty() ? solutions : projects;
    if (pick.empty()) {
      c.fail(fmt::format("{}: MSB1003: specify a project or solution file; the current working directory does not "
                         "contain one",
                         tool));
      return false;
    }
    if (pick.size() > 1) {
      c.fail(fmt::format("{}: MSB1011: more than one project or solution file in {}: specify which one to use", tool, target));
      return false;
    }
    p.file = clean_abs(pick[0], target);
  }
  p.dir = std::string(parent_path(p.file));
  p.node = c.fs.find(p.file);
  if (!p.node) {
    c.fail(fmt::format("{}: MSB1009: project file does not exist: {}", tool, p.file));
    return false;
  }
  p.info = parse_csproj(*p.node, base_name(p.file));
  p.name = p.info->assembly;
  c.key(p.node->hash);
  return true;
}

std::string nuget_dir(const Ctx& c) {
  if (const std::string* v = c.get("NUGET_PACKAGES"); v && !v->empty()) return c.abs(*v);
  const std::string* home = c.get("HOME");
  return clean_abs(".nuget/packages", home ? *home : c.user.home);
}

void dotnet_restore(Ctx& c, const DotnetProject& p, std::string_view tool) {
  size_t n = p.info->packages.size();
  uint64_t key = hash_combine(content_hash("dotnet restore"), p.node->hash);
  if (const FileNode* lock = c.fs.find(clean_abs("packages.lock.json", p.dir))) key = hash_combine(key, lock->hash);
  c.key(key);
  std::string obj = clean_abs("obj", p.dir);
  put_file(c, obj + "/project.assets.json", mb(20e3 + 15e3 * static_cast<double>(n)), hash_combine(key, "assets"),
           "dfplay estimate: NuGet assets file (~20 kB + 15 kB per package)");
  put_file(c, obj + "/" + std::string(base_name(p.file)) + ".nuget.dgspec.json", 4000, hash_combine(key, "dgspec"),
           "dfplay estimate");
  std::string cache = nuget_dir(c);
  bool mounted = c.on_cache_mount(cache);
  if (n > 0) {
    const FileNode* old = c.fs.find(cache);
    uint64_t bytes = mb(fig::nuget_package.value * static_cast<double>(n));
    if (old && old->summary) bytes = std::max(bytes, old->size);
    c.put_summary(cache, bytes, hash_combine(key, "nuget"), fmt::format("{}: {} packages x {}", tool, n, fig::nuget_package.source),
                  true);
    // Floating versions resolve at build time unless a lock file pins them.
    if (!c.fs.exists(clean_abs("packages.lock.json", p.dir))) c.output_unknown();
  }
  double cold = fig::dotnet_restore_s.value + 2.0 * static_cast<double>(n);
  c.time(cold, mounted ? 3.0 : cold);
  c.recognise(std::string(tool), fmt::format("{}: {} PackageReference(s) -> {} ({} estimated)", base_name(p.file), n, cache,
                                             human_size(mb(fig::nuget_package.value * static_cast<double>(n)))),
              fig::nuget_package.source);
}

// The value of an MSBuild property given as -p:Name=Value (props holds "Name=Value"), "" if unset.
std::string_view dotnet_property(const std::vector<std::string>& props, std::string_view name) {
  for (const auto& p : props)
    if (p.size() > name.size() && std::string_view(p).substr(0, name.size()) == name && p[name.size()] == '=')
      return std::string_view(p).substr(name.size() + 1);
  return {};
}

// -r RID, or -a ARCH / --os OS (the SDK builds the RID: `-a $TARGETARCH` gives linux-x64 for
// amd64, linux-arm64 for arm64; the OS defaults to the SDK's, linux in a container).
std::optional<std::string> dotnet_rid(const Args& a) {
  std::optional<std::string> rid;
  if (auto r = a.value("-r", "--runtime")) rid = std::string(*r);
  if (!rid && (a.value("-a", "--arch") || a.value("--os"))) {
    std::string arch(a.value("-a", "--arch").value_or("x64"));
    if (arch == "amd64" || arch == "x86_64") arch = "x64";
    else if (arch == "aarch64") arch = "arm64";
    else if (arch == "386" || arch == "i386") arch = "x86";
    rid = std::string(a.value("--os").value_or("linux")) + "-" + arch;
  }
  if (a.has("--use-current-runtime") || a.has("--ucr")) rid = rid.value_or("linux-x64");
  return rid;
}

// Options whose effect on the output is not modelled make the step partly unknown.
void note_unmodelled_dotnet_options(Ctx& c, const std::vector<std::string>& argv, const std::string& tool) {
  static constexpr std::string_view kModelled[] = {
      "-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework", "-a", "--arch", "--os",
      "-v", "--verbosity", "-s", "--source", "--packages", "--self-contained", "--sc", "--no-self-contained",
      "--no-restore", "--no-build", "--no-dependencies", "--nologo", "--use-current-runtime", "--ucr",
      "--disable-parallel", "--force", "--interactive", "--no-cache", "--ignore-failed-sources", "-p", "--property",
      "--version-suffix", "--no-incremental", "-tl", "--tl", "--disable-build-servers", "-m", "-maxcpucount"};
  static constexpr std::string_view kTakesValue[] = {"-c", "--configuration", "-o", "--output", "-r", "--runtime",
                                                     "-f", "--framework", "-a", "--arch", "--os", "-v", "--verbosity",
                                                     "-s", "--source", "--packages", "-p", "--property",
                                                     "--version-suffix"};
  for (size_t k = 2; k < argv.size(); ++k) {
    std::string_view t = argv[k];
    if (t.size() < 2 || t[0] != '-' || t == "--") continue;
    std::string_view name = t.substr(0, t.find_first_of("=:", 1));
    if (name == "-p" || name == "--property" || name == "-m" || name == "-tl" || name.starts_with("-bl") ||
        name == "-maxcpucount")
      if (t.size() > name.size()) continue;  // -p:Name=Value, -m:2, -tl:off, -bl:file
    if (std::find(std::begin(kModelled), std::end(kModelled), name) == std::end(kModelled)) {
      c.unknown(tool + " " + std::string(t), "option not modelled: its effect on the output is unknown");
      continue;
    }
    if (t.size() == name.size() && std::find(std::begin(kTakesValue), std::end(kTakesValue), name) != std::end(kTakesValue))
      ++k;  // its value
  }
}

// dotnet build / publish / test / pack: restore (unless --no-restore), then the assembly, its
// packages and content files in the output directory, intermediate outputs in obj/ (and bin/).
// `args` is the command line without `--self-contained true|false` (its value is `sc_value`).
int dotnet_build(Ctx& c, std::string_view sub, const Inv& args, const Args& a, std::optional<bool> sc_value,
                 const std::vector<std::string>& props, const std::vector<std::string_view>& positional) {
  auto prop = [&](std::string_view name) { return dotnet_property(props, name); };
  std::string tool = "dotnet " + std::string(sub);
  DotnetProject p;
  if (!find_dotnet_project(c, positional, p, tool)) return 1;
  bool no_restore = a.has("--no-restore");
  if (no_restore) {
    if (!c.fs.exists(clean_abs("obj/project.assets.json", p.dir))) {
      c.fail(fmt::format("{}: NETSDK1004: assets file 'obj/project.assets.json' not found: run a NuGet package "
                         "restore (remove --no-restore or run dotnet restore first)",
                         tool));
      return 1;
    }
  } else {
    dotnet_restore(c, p, tool + " (implicit restore)");
  }
  std::string config(a.value("-c", "--configuration").value_or(sub == "publish" ? "Release" : "Debug"));
  std::string tfm(a.value("-f", "--framework").value_or(p.info->target_framework.empty() ? "net8.0"
                                                                                          : p.info->target_framework));
  std::optional<std::string> rid = dotnet_rid(a);
  bool self_contained = a.has("--self-contained") || a.has("--sc") || p.info->self_contained ||
                        prop("SelfContained") == "true";
  if (auto sc = a.value("--self-contained"); sc && *sc == "false") self_contained = false;
  if (sc_value) self_contained = *sc_value;
  if (a.has("--no-self-contained") || prop("SelfContained") == "false") self_contained = false;
  note_unmodelled_dotnet_options(c, args.argv, tool);
  bool trimmed = p.info->trimmed || prop("PublishTrimmed") == "true";
  bool aot = p.info->aot || prop("PublishAot") == "true";
  Sources src = project_sources(c, p.dir, {"bin", "obj"},
                                {".cs", ".fs", ".vb", ".csproj", ".fsproj", ".props", ".targets", ".json", ".razor",
                                 ".cshtml", ".resx", ".config"});
  Sources web = project_sources(c, clean_abs("wwwroot", p.dir), {}, {});
  uint64_t key = hash_combine(src.hash, web.hash);
  key = hash_combine(key, fmt::format("{}|{}|{}|{}|{}|{}|{}", sub, config, rid.value_or(""), self_contained, trimmed, aot, tfm));
  for (auto pr : props) key = hash_combine(key, pr);
  c.key(key);
  std::string out;
  if (auto o = a.value("-o", "--output")) out = c.abs(*o);
  else
    out = clean_abs(fmt::format("bin/{}/{}{}{}", config, tfm, rid ? "/" + *rid : "",
                                sub == "publish" ? "/publish" : ""),
                    p.dir);
  size_t n_pkg = p.info->packages.size();
  uint64_t dll = std::max<uint64_t>(20000, mb(static_cast<double>(src.bytes) * 0.5));
  uint64_t app = 0;
  auto emit = [&](const std::string& name, uint64_t size, std::string source, uint32_t mode = 0644) {
    put_file(c, clean_abs(name, out), size, hash_combine(key, name), std::move(source), mode);
    app += size;
  };
  std::string fig_src = fmt::format("{} ({})", fig::dotnet_app.source, "file sizes: dfplay estimate");
  if (sub != "test") {
    emit(p.name + ".dll", dll, fig_src);
    emit(p.name + ".pdb", dll / 3, fig_src);
    emit(p.name + ".deps.json", 2000 + 1000 * n_pkg, fig_src);
    emit(p.name + ".runtimeconfig.json", 500, fig_src);
    if (prop("UseAppHost") != "false") emit(p.name, 72000, "apphost executable (~72 kB, dfplay estimate)", 0755);
    for (const auto& pk : p.info->packages)
      emit(pk + ".dll", mb(fig::nuget_dll.value), fig::nuget_dll.source);
    // Content files copied to the output.
    std::vector<std::pair<std::string, FileNode>> settings;
    c.fs.for_each_under(p.dir, [&](const std::string& path, const FileNode& f) {
      std::string_view child = relative_to(path, p.dir);
      if (child.rfind("appsettings", 0) == 0 && ends_with(child, ".json") && child.find('/') == std::string_view::npos)
        settings.emplace_back(std::string(child), f);
    });
    for (auto& [child, f] : settings) {
      f.layer = c.layer;
      app += f.size;
      c.fs.put(clean_abs(child, out), std::move(f));
    }
    if (p.info->sdk.find("Web") != std::string::npos && sub == "publish") emit("web.config", 600, "generated by the Web SDK");
    if (web.files > 0 && sub == "publish") {
      c.put_summary(clean_abs("wwwroot", out), web.bytes, hash_combine(key, "wwwroot"), "copy of wwwroot/", false);
      app += web.bytes;
    }
    if (self_contained || aot) {
      const fig::Figure& f = aot ? fig::dotnet_aot : trimmed ? fig::dotnet_trimmed : fig::dotnet_self_contained;
      c.put_summary(clean_abs(".runtime", out), mb(f.value), hash_combine(key, "runtime"),
                    fmt::format("self-contained runtime files: {}", f.source), true);
      app += mb(f.value);
      if (!rid) c.note(fmt::format("{}: self-contained needs a runtime identifier (-r linux-x64)", tool));
    }
  }
  // Intermediate outputs in obj/ (and bin/ when publishing to another directory).
  uint64_t inter = 2 * dll + 200000;
  c.put_summary(clean_abs("obj/" + config, p.dir), inter, hash_combine(key, "obj"),
                "dfplay estimate: intermediate build outputs under obj/CONFIG/TFM (~2x the assembly)", true);
  if (sub == "publish" && !is_within(out, clean_abs("bin", p.dir)))
    c.put_summary(clean_abs("bin/" + config, p.dir), dll + dll / 3 + 100000,
                  hash_combine(key, "bin"), "dfplay estimate: build output before publishing", true);
  double cold = fig::dotnet_publish_s.value + 0.01 * static_cast<double>(src.files);
  c.time(cold, cold);
  c.recognise(tool, fmt::format("{} ({} source file(s), {} package(s), {}{}) -> {} ({} estimated)", base_name(p.file),
                                src.files, n_pkg, config, self_contained ? ", self-contained" : "", out, human_size(app)),
              fig::dotnet_app.source);
  if (sub == "test") c.note("dotnet test runs the tests during the build (no output in the image)");
  return 0;
}

int d_dotnet(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  if (inv.argv.size() < 2) return 0;
  std::string_view sub = inv.argv[1];
  if (sub == "--info" || sub == "--version" || sub == "--list-sdks" || sub == "--list-runtimes" || sub == "--help") {
    c.recognise("dotnet " + std::string(sub), "prints information");
    return 0;
  }
  // `--self-contained false` / `--self-contained true`: the value is optional, so read it here
  // (parse_args would take `false` for a project path).
  Inv args = inv;
  std::optional<bool> sc_value;
  for (size_t k = 2; k < args.argv.size(); ++k)
    if ((args.argv[k] == "--self-contained" || args.argv[k] == "--sc") && k + 1 < args.argv.size() &&
        (args.argv[k + 1] == "true" || args.argv[k + 1] == "false")) {
      sc_value = args.argv[k + 1] == "true";
      args.argv.erase(args.argv.begin() + static_cast<std::ptrdiff_t>(k), args.argv.begin() + static_cast<std::ptrdiff_t>(k) + 2);
      --k;
    }
  Args a = parse_args(args, {"-c", "--configuration", "-o", "--output", "-r", "--runtime", "-f", "--framework", "-a",
                             "--arch", "--os", "-v", "--verbosity", "-s", "--source", "--packages", "--version-suffix",
                             "-p", "--property"},
                      2);
  std::vector<std::string> props;
  std::vector<std::string_view> positional;
  for (auto p : a.positional) {
    if (p.rfind("/p:", 0) == 0 || p.rfind("-p:", 0) == 0) props.emplace_back(p.substr(3));
    else if (p.rfind("/property:", 0) == 0) props.emplace_back(p.substr(10));
    else positional.push_back(p);
  }
  for (const auto& [n, v] : a.options)
    if ((n == "-p" || n == "--property") && !v.empty()) props.emplace_back(v.starts_with(':') ? v.substr(1) : v);
  for (const auto& [n, v] : a.options)
    if (n.rfind("-p:", 0) == 0 || n.rfind("/p:", 0) == 0 || n.rfind("--property:", 0) == 0)
      props.push_back(std::string(n.substr(n.find(':') + 1)) + "=" + std::string(v));
  if (sub == "restore") {
    DotnetProject p;
    if (!find_dotnet_project(c, positional, p, "dotnet restore")) return 1;
    dotnet_restore(c, p, "dotnet restore");
    return 0;
  }
  if (sub == "build" || sub == "publish" || sub == "test" || sub == "pack")
    return dotnet_build(c, sub, args, a, sc_value, props, positional);
  if (sub == "tool") {
    Args t = parse_args(inv, {"--version", "--tool-path"}, 2);
    if (!t.positional.empty() && t.positional[0] == "install" && t.positional.size() > 1) {
      std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
      std::string dir = t.value("--tool-path") ? c.abs(*t.value("--tool-path")) : clean_abs(".dotnet/tools", home);
      c.put_summary(clean_abs(std::string(t.positional[1]), dir), mb(fig::nuget_package.value),
                    content_hash(t.positional[1]), fmt::format("dotnet tool install: {}", fig::nuget_package.source), true);
      c.output_unknown();
      c.recognise("dotnet tool install", fmt::format("installs {}", t.positional[1]));
      return 0;
    }
  }
  if (sub == "nuget" || sub == "new" || sub == "ef" || sub == "dev-certs" || sub == "workload" || sub == "tool") {
    c.unknown("dotnet " + std::string(sub));
    return 0;
  }
  if (ends_with(sub, ".dll")) {
    c.unknown("dotnet " + std::string(sub), "runs an application");
    return 0;
  }
  c.unknown("dotnet " + std::string(sub));
  return 0;
}

// ---- cargo ----

std::string find_up(const Ctx& c, std::string_view file) {
  std::string d = c.cwd;
  for (int guard = 0; guard < 64; ++guard) {
    if (c.fs.exists(clean_abs(file, d))) return d;
    if (d == "/") break;
    d = std::string(parent_path(d));
  }
  return {};
}

int r_cargo(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--bin", "--target", "--target-dir", "-p", "--package", "--features", "-F", "-j", "--jobs",
                            "--profile", "--manifest-path", "--root", "--version", "--git"},
                      1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  if (sub.empty() || sub == "--version" || a.has("--version") || a.has("-V")) {
    c.recognise("cargo --version", "prints the version");
    return 0;
  }
  std::string cargo_home = c.get("CARGO_HOME") ? c.abs(*c.get("CARGO_HOME"))
                                               : clean_abs(".cargo", c.get("HOME") ? *c.get("HOME") : c.user.home);
  if (sub == "install") {
    std::string name = a.positional.size() > 1 ? std::string(a.positional[1]) : "crate";
    std::string root = a.value("--root") ? c.abs(*a.value("--root")) : cargo_home;
    put_file(c, root + "/bin/" + name, mb(fig::cargo_binary.value), content_hash("cargo install " + name),
             fmt::format("cargo install: {}", fig::cargo_binary.source), 0755);
    c.put_summary(cargo_home + "/registry", mb(20 * fig::cargo_registry_per_dep.value), content_hash("registry " + name),
                  fmt::format("crates downloaded for {} (dfplay estimate: 20 crates x {})", name, fig::cargo_registry_per_dep.source));
    c.output_unknown();
    c.time(60.0);
    c.recognise("cargo install", fmt::format("builds and installs {}", name), fig::cargo_binary.source);
    return 0;
  }
  std::string root = a.value("--manifest-path") ? std::string(parent_path(c.abs(*a.value("--manifest-path"))))
                                                : find_up(c, "Cargo.toml");
  if (root.empty()) {
    c.fail(fmt::format("cargo {}: could not find `Cargo.toml` in `{}` or any parent directory", sub, c.cwd));
    return 101;
  }
  const FileNode* manifest = c.fs.find(clean_abs("Cargo.toml", root));
  auto info = parse_cargo_toml(*manifest);
  const FileNode* lock = c.fs.find(clean_abs("Cargo.lock", root));
  uint64_t deps_id = hash_combine(manifest->hash, lock ? lock->hash : 0);
  std::string registry = cargo_home + "/registry";
  auto fill_registry = [&]() {
    if (info->deps == 0) return;
    const FileNode* old = c.fs.find(registry);
    if (old && old->summary && old->hash == deps_id) return;
    c.put_summary(registry, mb(fig::cargo_registry_per_dep.value * static_cast<double>(info->deps) * 5), deps_id,
                  fmt::format("crates for {} dependencies (x5 with transitive ones; {})", info->deps,
                              fig::cargo_registry_per_dep.source));
    if (!lock) c.output_unknown();
  };
  if (sub == "fetch") {
    c.key(deps_id);
    fill_registry();
    c.time(5.0 + 1.0 * static_cast<double>(info->deps));
    c.recognise("cargo fetch", fmt::format("downloads the crates of {} dependencies", info->deps));
    return 0;
  }
  if (sub == "build" || sub == "b" || sub == "test" || sub == "check" || sub == "clippy" || sub == "doc") {
    bool release = a.has("--release") || a.has("-r") || a.value("--profile") == std::optional<std::string_view>("release");
    // --target TRIPLE (or CARGO_BUILD_TARGET): outputs under target/TRIPLE/PROFILE.
    std::string triple(a.value("--target").value_or(c.get("CARGO_BUILD_TARGET") ? std::string_view(*c.get("CARGO_BUILD_TARGET"))
                                                                               : std::string_view()));
    std::string profile = release ? "release" : "debug";
    if (auto pr = a.value("--profile"); pr && *pr != "release" && *pr != "dev") profile = std::string(*pr);
    static constexpr std::string_view kModelled[] = {
        "--release", "-r", "--bin", "--target", "--target-dir", "-p", "--package", "--features", "-F", "-j", "--jobs",
        "--profile", "--manifest-path", "--locked", "--frozen", "--offline", "--all-features", "--no-default-features",
        "-q", "--quiet", "-v", "--verbose", "--workspace", "--all", "--bins", "--all-targets", "--tests", "--lib",
        "--color", "--message-format", "--keep-going", "--timings", "--no-run", "--no-fail-fast"};
    for (const auto& [n, v] : a.options)
      if (std::find(std::begin(kModelled), std::end(kModelled), n) == std::end(kModelled))
        c.unknown("cargo " + std::string(sub) + " " + std::string(n), "option not modelled: its effect on the output is unknown");
    Sources src = project_sources(c, root, {"target"}, {".rs", ".toml", ".lock"});
    uint64_t key = hash_combine(src.hash, fmt::format("{}|{}|{}|{}", sub, release, triple, profile));
    c.key(key);
    fill_registry();
    std::string target_dir = a.value("--target-dir")   ? c.abs(*a.value("--target-dir"))
                             : c.get("CARGO_TARGET_DIR") ? c.abs(*c.get("CARGO_TARGET_DIR"))
                                                         : clean_abs("target", root);
    bool target_mounted = c.on_cache_mount(target_dir);
    double target_size = fig::cargo_target_base.value + fig::cargo_target_per_dep.value * static_cast<double>(info->deps);
    c.put_summary(target_dir, mb(target_size), hash_combine(key, "target"),
                  fmt::format("{}; + {} per dependency", fig::cargo_target_base.source, fig::cargo_target_per_dep.source));
    std::string bin_path;
    uint64_t bin_size = 0;
    if (sub == "build" || sub == "b") {
      std::string name(a.value("--bin").value_or(info->name.empty() ? base_name(root) : info->name));
      std::string dir = target_dir + (triple.empty() ? "" : "/" + triple) + "/" + profile;
      // WebAssembly targets (wasm32-wasi, wasm32-wasip1/p2, wasm32-unknown-unknown) write NAME.wasm;
      // a library crate's module name uses underscores.
      if (triple.starts_with("wasm32")) {
        if (triple == "wasm32-unknown-unknown") std::replace(name.begin(), name.end(), '-', '_');
        name += ".wasm";
      }
      bool strip = info->strip;
      bin_size = mb(strip ? fig::cargo_binary.value * 0.4 : fig::cargo_binary.value);
      if (!release) bin_size *= 3;
      bin_path = dir + "/" + name;
      put_file(c, bin_path, bin_size, hash_combine(key, name), fmt::format("{}{}", fig::cargo_binary.source, strip ? " (stripped)" : ""),
               0755);
    }
    double cold = 30.0 + fig::cargo_s_per_dep.value * static_cast<double>(info->deps) * (release ? 1.5 : 1.0);
    c.time(cold, target_mounted ? 8.0 : cold);
    c.recognise("cargo " + std::string(sub),
                fmt::format("{} dependencies, {} -> {} ({} estimated){}", info->deps, release ? "release" : "debug",
                            bin_path.empty() ? target_dir : bin_path, human_size(bin_size ? bin_size : mb(target_size)),
                            target_mounted ? ", target/ on a cache mount" : ""),
                fig::cargo_binary.source);
    if (target_mounted && !bin_path.empty())
      c.note("cargo: target/ is on a cache mount: copy the binary out of it in the same RUN, or it is not in the image");
    else
      c.note(fmt::format("cargo: target/ (~{}) stays in this stage: copy only the binary to the final stage",
                         human_size(mb(target_size))));
    return 0;
  }
  c.unknown("cargo " + std::string(sub));
  return 0;
}

// ---- WebAssembly toolchains ----

// `wasm-pack build [DIR] [--target T] [--out-dir D] [--out-name N] [--release|--dev]`: the
// crate built for wasm32-unknown-unknown, then wasm-bindgen's package in DIR/pkg.
int w_wasm_pack(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--target", "-t", "--out-dir", "-d", "--out-name", "--scope", "-s", "--mode", "-m"}, 1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  if (sub != "build") {
    if (a.has("--version") || a.has("-V") || sub == "help") c.recognise("wasm-pack", "prints information");
    else c.unknown("wasm-pack " + std::string(sub));
    return 0;
  }
  std::string root = a.positional.size() > 1 ? c.abs(a.positional[1]) : c.cwd;
  const FileNode* manifest = c.fs.find(clean_abs("Cargo.toml", root));
  if (!manifest) {
    c.fail(fmt::format("wasm-pack build: {} has no Cargo.toml", root));
    return 1;
  }
  auto info = parse_cargo_toml(*manifest);
  std::string crate = info->name.empty() ? std::string(base_name(root)) : info->name;
  std::replace(crate.begin(), crate.end(), '-', '_');
  std::string name(a.value("--out-name").value_or(crate));
  std::string out = clean_abs(a.value("--out-dir", "-d").value_or("pkg"), root);
  Sources src = project_sources(c, root, {"target", "pkg"}, {".rs", ".toml", ".lock"});
  uint64_t key = hash_combine(src.hash, fmt::format("wasm-pack|{}|{}|{}", a.value("--target", "-t").value_or("bundler"),
                                                    a.has("--dev"), name));
  c.key(key);
  uint64_t wasm = mb(fig::wasm_module.value);
  put_file(c, clean_abs(name + "_bg.wasm", out), wasm, hash_combine(key, "wasm"), fig::wasm_module.source);
  put_file(c, clean_abs(name + ".js", out), 20000, hash_combine(key, "js"), "dfplay estimate: wasm-bindgen glue (~20 kB)");
  put_file(c, clean_abs(name + ".d.ts", out), 3000, hash_combine(key, "dts"), "dfplay estimate");
  put_file(c, clean_abs("package.json", out), 400, hash_combine(key, "package.json"), "generated by wasm-pack");
  double target_size = fig::cargo_target_base.value + fig::cargo_target_per_dep.value * static_cast<double>(info->deps);
  c.put_summary(clean_abs("target", root), mb(target_size), hash_combine(key, "target"), fig::cargo_target_base.source);
  c.time(30.0 + fig::cargo_s_per_dep.value * static_cast<double>(info->deps));
  c.recognise("wasm-pack build", fmt::format("{} for wasm32-unknown-unknown -> {}/{}_bg.wasm + JS glue ({} estimated)", crate,
                                             out, name, human_size(wasm)),
              fig::wasm_module.source);
  return 0;
}

// `wasm-bindgen IN.wasm --out-dir D [--target T] [--out-name N]`.
int w_wasm_bindgen(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--out-dir", "--target", "--out-name"}, 1);
  if (a.has("--version") || a.has("-V")) {
    c.recognise("wasm-bindgen --version", "prints the version");
    return 0;
  }
  if (a.positional.empty() || !a.value("--out-dir")) {
    c.unknown("wasm-bindgen", "input or --out-dir not given");
    return 0;
  }
  std::string in = c.abs(a.positional[0]);
  const FileNode* n = c.fs.find(in);
  if (!n) {
    if (c.unknown_input("wasm-bindgen " + std::string(a.positional[0]), in)) return 0;
    c.fail(fmt::format("wasm-bindgen: failed to read `{}`: no such file or directory", a.positional[0]));
    return 1;
  }
  std::string stem(base_name(in));
  if (stem.ends_with(".wasm")) stem.resize(stem.size() - 5);
  std::string name(a.value("--out-name").value_or(stem));
  std::string out = c.abs(*a.value("--out-dir"));
  uint64_t key = hash_combine(n->hash, fmt::format("wasm-bindgen|{}", a.value("--target").value_or("bundler")));
  c.key(key);
  put_file(c, clean_abs(name + "_bg.wasm", out), n->size, hash_combine(key, "wasm"), "the input module, rewritten");
  put_file(c, clean_abs(name + ".js", out), 20000, hash_combine(key, "js"), "dfplay estimate: wasm-bindgen glue (~20 kB)");
  c.recognise("wasm-bindgen", fmt::format("{} -> {}/{}_bg.wasm + {}.js", a.positional[0], out, name, name));
  return 0;
}

// `wasm-opt IN.wasm -o OUT.wasm [-O...]`: ~80 % of the input (dfplay estimate).
int w_wasm_opt(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-o", "--output"}, 1);
  if (a.has("--version")) {
    c.recognise("wasm-opt --version", "prints the version");
    return 0;
  }
  std::string_view in_arg;
  for (auto p : a.positional)
    if (in_arg.empty()) in_arg = p;
  if (in_arg.empty()) {
    c.unknown("wasm-opt", "no input");
    return 0;
  }
  std::string in = c.abs(in_arg);
  const FileNode* n = c.fs.find(in);
  if (!n) {
    if (c.unknown_input("wasm-opt " + std::string(in_arg), in)) return 0;
    c.fail(fmt::format("wasm-opt: failed opening '{}'", in_arg));
    return 1;
  }
  std::string out = a.value("-o", "--output") ? c.abs(*a.value("-o", "--output")) : in;
  uint64_t key = hash_combine(n->hash, fmt::format("{}", fmt::join(inv.argv, " ")));
  c.key(key);
  uint64_t size = mb(static_cast<double>(n->size) * 0.8);
  put_file(c, out, size, hash_combine(key, "opt"), "dfplay estimate: wasm-opt output ~80 % of its input");
  c.time(2.0 + static_cast<double>(n->size) / 5e6);
  c.recognise("wasm-opt", fmt::format("{} -> {} ({} estimated)", in_arg, out, human_size(size)));
  return 0;
}

// `trunk build [--release] [--dist D]`: the Rust/wasm web app in dist/.
int w_trunk(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--dist", "-d", "--public-url", "--config"}, 1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  if (sub != "build") {
    if (sub == "serve") c.note("trunk serve is a development server that never exits");
    c.unknown("trunk " + std::string(sub));
    return 0;
  }
  std::string root = find_up(c, "Cargo.toml");
  if (root.empty()) {
    c.fail("trunk build: no Cargo.toml in this directory or a parent");
    return 1;
  }
  Sources src = project_sources(c, root, {"target", "dist"}, {});
  uint64_t key = hash_combine(src.hash, fmt::format("trunk|{}", a.has("--release")));
  c.key(key);
  std::string out = clean_abs(a.value("--dist", "-d").value_or("dist"), root);
  uint64_t size = mb(fig::wasm_module.value) + src.bytes / 4;
  c.put_summary(out, size, hash_combine(key, "dist"),
                fmt::format("the app's wasm module ({}) + JS glue and static files", fig::wasm_module.source));
  c.put_summary(clean_abs("target", root), mb(fig::cargo_target_base.value), hash_combine(key, "target"),
                fig::cargo_target_base.source);
  c.time(40.0);
  c.recognise("trunk build", fmt::format("-> {} ({} estimated)", out, human_size(size)), fig::wasm_module.source);
  return 0;
}

// ---- Maven, Gradle ----

int j_maven(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-f", "--file", "-s", "--settings", "-P", "-pl", "-T", "-D"}, 1);
  bool wrapper = inv.name == "mvnw";
  if (wrapper) {
    const FileNode* w = c.fs.find(c.abs(inv.argv[0]));
    if (w && (w->mode & 0111) == 0) {
      c.fail(fmt::format("{}: permission denied (mvnw is not executable: git update-index --chmod=+x mvnw, or RUN sh mvnw)",
                         inv.argv[0]));
      return 126;
    }
  }
  std::string pom_path = a.value("-f", "--file") ? c.abs(*a.value("-f", "--file")) : c.abs("pom.xml");
  if (c.fs.is_dir(pom_path)) pom_path = clean_abs("pom.xml", pom_path);
  const FileNode* pom = c.fs.find(pom_path);
  std::vector<std::string_view> goals;
  for (auto p : a.positional)
    if (p.rfind("-", 0) != 0) goals.push_back(p);
  if (a.has("-v") || a.has("--version")) {
    c.recognise("mvn --version", "prints the version");
    return 0;
  }
  if (!pom) {
    c.fail(fmt::format("{}: the goal you specified requires a project to execute but there is no POM in {}", inv.name,
                       parent_path(pom_path)));
    return 1;
  }
  auto info = parse_pom(*pom);
  std::string proj(parent_path(pom_path));
  std::string repo;
  for (const auto& [n, v] : a.options)
    if (n == "-D" && v.rfind("maven.repo.local=", 0) == 0) repo = c.abs(v.substr(17));
    else if (n.rfind("-Dmaven.repo.local", 0) == 0) repo = c.abs(v);
  if (repo.empty()) {
    std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
    repo = clean_abs(".m2/repository", home);
  }
  bool mounted = c.on_cache_mount(repo);
  uint64_t deps_id = hash_combine(content_hash("maven deps"), pom->hash);
  const FileNode* old = c.fs.find(repo);
  if (!(old && old->summary && old->hash == deps_id)) {
    double size = fig::maven_plugins.value + fig::maven_dep.value * static_cast<double>(info->deps);
    c.put_summary(repo, mb(size), deps_id,
                  fmt::format("{} dependencies x {}; + {}", info->deps, fig::maven_dep.source, fig::maven_plugins.source));
  }
  c.output_unknown();  // SNAPSHOT/plugin versions may resolve at build time
  bool builds = false;
  for (auto g : goals)
    if (g == "package" || g == "install" || g == "verify" || g == "compile" || g == "deploy" || g == "spring-boot:repackage")
      builds = true;
  std::string summary = fmt::format("{} dependencies in pom.xml -> {}", info->deps, repo);
  double cold = 10.0 + 1.0 * static_cast<double>(info->deps);
  if (builds) {
    Sources src = project_sources(c, proj, {"target"}, {".java", ".kt", ".xml", ".properties", ".yml", ".yaml", ".sql"});
    uint64_t key = hash_combine(src.hash, fmt::format("{}", fmt::join(inv.argv, " ")));
    c.key(key);
    std::string target = clean_abs("target", proj);
    c.put_summary(target + "/classes", mb(static_cast<double>(src.bytes) * 1.2), hash_combine(key, "classes"),
                  "dfplay estimate: compiled classes (~1.2x the sources)");
    bool packages = std::find(goals.begin(), goals.end(), "compile") == goals.end() || goals.size() > 1;
    if (packages) {
      // target/<finalName or artifactId-version>.<jar|war>; a `pom` project packages nothing.
      std::string ext = info->packaging == "war" ? "war" : "jar";
      std::string stem = !info->final_name.empty()
                             ? info->final_name
                             : fmt::format("{}-{}", info->artifact.empty() ? "app" : info->artifact,
                                           info->version.empty() ? "0.0.1-SNAPSHOT" : info->version);
      std::string jar = stem + "." + ext;
      if (info->packaging != "pom") {
        uint64_t size = info->spring_boot ? mb(fig::spring_boot_jar.value) : mb(static_cast<double>(src.bytes) + 5000);
        put_file(c, target + "/" + jar, size, hash_combine(key, jar),
                 info->spring_boot ? fig::spring_boot_jar.source : "dfplay estimate: plain jar ~ the sources");
        // spring-boot-maven-plugin's repackage keeps the plain archive beside the fat one.
        if (info->spring_boot)
          put_file(c, target + "/" + jar + ".original", mb(static_cast<double>(src.bytes) + 5000),
                   hash_combine(key, jar + ".original"), "dfplay estimate: plain jar ~ the sources");
        summary += fmt::format(", target/{} ({} estimated)", jar, human_size(size));
      }
    }
    cold += 15.0 + static_cast<double>(src.files) * 0.05;
    bool skip_tests = false;
    for (const auto& [n, v] : a.options)
      if (n.find("skipTests") != std::string_view::npos || v.find("skipTests") != std::string_view::npos ||
          n.find("maven.test.skip") != std::string_view::npos || v.find("maven.test.skip") != std::string_view::npos)
        skip_tests = true;
    if (!skip_tests) c.note("mvn runs the tests during the build (-DskipTests skips them)");
  } else {
    c.key(deps_id);
  }
  c.time(cold, mounted ? cold * 0.4 : cold);
  c.recognise(std::string(wrapper ? "./mvnw " : "mvn ") + fmt::format("{}", fmt::join(goals, " ")), summary,
              fig::maven_dep.source);
  if (!mounted) c.note(fmt::format("the Maven repository ({}) stays in the layer: use a cache mount", repo));
  return 0;
}

int j_gradle(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  bool wrapper = inv.name == "gradlew";
  if (wrapper) {
    const FileNode* w = c.fs.find(c.abs(inv.argv[0]));
    if (w && (w->mode & 0111) == 0) {
      c.fail(fmt::format("{}: permission denied (gradlew is not executable)", inv.argv[0]));
      return 126;
    }
  }
  Args a = parse_args(inv, {"-x", "--exclude-task", "-p", "--project-dir", "-g", "--gradle-user-home", "-D", "-P"}, 1);
  if (a.has("-v") || a.has("--version")) {
    c.recognise("gradle --version", "prints the version");
    return 0;
  }
  std::string proj = a.value("-p", "--project-dir") ? c.abs(*a.value("-p", "--project-dir")) : c.cwd;
  const FileNode* script = nullptr;
  for (const char* f : {"build.gradle.kts", "build.gradle"})
    if (!script) script = c.fs.find(clean_abs(f, proj));
  if (!script) {
    c.fail(fmt::format("{}: no build.gradle(.kts) in {}", inv.name, proj));
    return 1;
  }
  std::string home = a.value("-g", "--gradle-user-home") ? c.abs(*a.value("-g", "--gradle-user-home"))
                     : c.get("GRADLE_USER_HOME")        ? c.abs(*c.get("GRADLE_USER_HOME"))
                                                        : clean_abs(".gradle", c.get("HOME") ? *c.get("HOME") : c.user.home);
  bool mounted = c.on_cache_mount(home);
  c.put_summary(home, mb(fig::gradle_home.value), hash_combine(content_hash("gradle home"), script->hash),
                fig::gradle_home.source);
  c.output_unknown();
  Sources src = project_sources(c, proj, {"build", ".gradle"}, {".java", ".kt", ".kts", ".gradle", ".properties", ".xml", ".yml"});
  uint64_t key = hash_combine(src.hash, fmt::format("{}", fmt::join(inv.argv, " ")));
  c.key(key);
  bool spring = script->content && script->content->find("org.springframework.boot") != std::string::npos;
  // The quoted value assigned to `key` in a Gradle script (Groovy or Kotlin DSL):
  // `key = 'v'`, `key = "v"`, `key.set("v")`; "" when absent.
  auto assigned = [](const std::string& text, std::string_view key) -> std::string {
    for (size_t r = text.find(key); r != std::string::npos; r = text.find(key, r + 1)) {
      if (r > 0 && (std::isalnum(static_cast<unsigned char>(text[r - 1])) || text[r - 1] == '_' || text[r - 1] == '.'))
        continue;  // part of another name
      size_t i = r + key.size();
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (text.compare(i, 5, ".set(") == 0) i += 5;
      else if (i < text.size() && text[i] == '=') ++i;
      else continue;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i >= text.size() || (text[i] != '\'' && text[i] != '"')) continue;
      size_t e = text.find(text[i], i + 1);
      if (e == std::string::npos || text.find('\n', i) < e) continue;
      return text.substr(i + 1, e - i - 1);
    }
    return {};
  };
  // build/libs/<archivesBaseName or rootProject.name>[-<version>].jar; the Spring Boot plugin
  // writes the executable jar there and the plain one as -plain.jar (bootJar's archiveFileName
  // renames the executable one).
  std::string name(base_name(proj));
  for (const char* f : {"settings.gradle", "settings.gradle.kts"})
    if (const FileNode* s = c.fs.find(clean_abs(f, proj)); s && s->content)
      if (std::string n = assigned(*s->content, "rootProject.name"); !n.empty()) name = n;
  std::string version, file_name;
  if (script->content) {
    if (std::string n = assigned(*script->content, "archivesBaseName"); !n.empty()) name = n;
    if (std::string n = assigned(*script->content, "archiveBaseName"); !n.empty()) name = n;
    version = assigned(*script->content, "version");
    file_name = assigned(*script->content, "archiveFileName");
  }
  if (const FileNode* gp = c.fs.find(clean_abs("gradle.properties", proj)); version.empty() && gp && gp->content) {
    // `version=1.2.0` (or `version = 1.2.0`) in gradle.properties.
    std::string_view text = *gp->content;
    for (size_t b = 0; b < text.size();) {
      size_t e = text.find('\n', b);
      std::string_view line = text.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b);
      b = e == std::string_view::npos ? text.size() : e + 1;
      if (!line.starts_with("version")) continue;
      size_t eq = line.find('=');
      if (eq == std::string_view::npos || line.substr(7, eq - 7).find_first_not_of(" \t") != std::string_view::npos) continue;
      std::string_view v = line.substr(eq + 1);
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r')) v.remove_suffix(1);
      version = std::string(v);
    }
  }
  std::string stem = version.empty() || version == "unspecified" ? name : name + "-" + version;
  bool builds = false;
  for (auto t : a.positional)
    if (t == "build" || t == "assemble" || t == "bootJar" || t == "jar" || t == "shadowJar" || t == "installDist")
      builds = true;
  std::string summary = fmt::format("Gradle home {}", home);
  if (builds) {
    std::string jar = "build/libs/" + (file_name.empty() ? stem + ".jar" : file_name);
    uint64_t plain = mb(static_cast<double>(src.bytes) + 5000);
    uint64_t size = spring ? mb(fig::spring_boot_jar.value) : plain;
    put_file(c, clean_abs(jar, proj), size, hash_combine(key, jar),
             spring ? fig::spring_boot_jar.source : "dfplay estimate: plain jar ~ the sources");
    if (spring) {
      std::string plain_jar = "build/libs/" + stem + "-plain.jar";
      put_file(c, clean_abs(plain_jar, proj), plain, hash_combine(key, plain_jar), "dfplay estimate: plain jar ~ the sources");
    }
    c.put_summary(clean_abs("build/classes", proj), mb(static_cast<double>(src.bytes) * 1.2), hash_combine(key, "classes"),
                  "dfplay estimate: compiled classes (~1.2x the sources)");
    summary += fmt::format(", {} ({} estimated)", jar, human_size(size));
  }
  double cold = 40.0 + static_cast<double>(src.files) * 0.05;
  c.time(cold, mounted ? 15.0 : cold);
  c.recognise(std::string(wrapper ? "./gradlew " : "gradle ") + fmt::format("{}", fmt::join(a.positional, " ")), summary,
              fig::gradle_home.source);
  return 0;
}

}  // namespace

void register_build(Registry& r) {
  r.add("dotnet", d_dotnet);
  r.add("cargo", r_cargo);
  r.add("wasm-pack", w_wasm_pack);
  r.add("wasm-bindgen", w_wasm_bindgen);
  r.add("wasm-opt", w_wasm_opt);
  r.add("trunk", w_trunk);
  r.add("mvn", j_maven);
  r.add("mvnw", j_maven);
  r.add("gradle", j_gradle);
  r.add("gradlew", j_gradle);
}

}  // namespace dfplay::sim::detail
