// Go: go mod download, go build, go install, go get, go mod tidy/vendor, go test/vet, go clean.
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

// The directory holding go.mod: cwd or the nearest parent with one ("" if none).
std::string module_root(const Ctx& c) {
  std::string d = c.cwd;
  for (int guard = 0; guard < 64; ++guard) {
    if (c.fs.exists(clean_abs("go.mod", d))) return d;
    if (d == "/") break;
    d = std::string(parent_path(d));
  }
  return {};
}

std::string gopath(const Ctx& c) {
  if (const std::string* v = c.get("GOPATH"); v && !v->empty()) return c.abs(v->substr(0, v->find(':')));
  const std::string* home = c.get("HOME");
  return clean_abs("go", home ? *home : c.user.home);
}

std::string modcache(const Ctx& c) {
  if (const std::string* v = c.get("GOMODCACHE"); v && !v->empty()) return c.abs(*v);
  return gopath(c) + "/pkg/mod";
}

std::string gocache(const Ctx& c) {
  if (const std::string* v = c.get("GOCACHE"); v && !v->empty() && *v != "off") return c.abs(*v);
  if (const std::string* x = c.get("XDG_CACHE_HOME"); x && !x->empty()) return clean_abs("go-build", *x);
  const std::string* home = c.get("HOME");
  return clean_abs(".cache/go-build", home ? *home : c.user.home);
}

struct Module {
  std::string root;
  const FileNode* mod = nullptr;
  const FileNode* sum = nullptr;
  std::shared_ptr<const GoMod> info;
  size_t modules() const { return info ? info->direct + info->indirect : 0; }
};

bool load_module(Ctx& c, Module& m, std::string_view tool, bool required) {
  m.root = module_root(c);
  if (m.root.empty()) {
    if (required) c.fail(fmt::format("{}: go.mod file not found in current directory or any parent directory", tool));
    return false;
  }
  m.mod = c.fs.find(clean_abs("go.mod", m.root));
  m.sum = c.fs.find(clean_abs("go.sum", m.root));
  m.info = parse_go_mod(*m.mod);
  if (!m.mod->content) {
    c.note(fmt::format("{}: go.mod content unknown: dependency count unknown", tool));
  }
  return true;
}

uint64_t deps_identity(const Module& m) {
  uint64_t h = content_hash("go modules");
  h = hash_combine(h, m.mod ? m.mod->hash : 0);
  h = hash_combine(h, m.sum ? m.sum->hash : 0);
  return h;
}

// Puts the module cache for the module's requirements; `fraction` < 1 for go build, which only
// downloads the modules it needs. Returns the bytes written.
uint64_t fill_modcache(Ctx& c, const Module& m, double fraction, std::string_view tool) {
  size_t n = m.modules();
  if (n == 0) return 0;
  std::string dir = modcache(c);
  uint64_t id = deps_identity(m);
  const FileNode* old = c.fs.find(dir);
  if (old && old->summary && old->hash == id) return 0;  // already there
  uint64_t bytes = mb(static_cast<double>(n) * fig::go_module.value * fraction);
  if (old && old->summary && old->size > bytes) bytes = old->size;
  c.put_summary(dir, bytes, id,
                fmt::format("{}: {} modules in go.mod ({} direct, {} indirect) x {}", tool, n, m.info->direct,
                            m.info->indirect, fig::go_module.source),
                true);
  if (!m.sum && n > 0) c.note(fmt::format("{}: no go.sum: module versions are not verified", tool));
  return bytes;
}

int g_mod(Ctx& c, Inv& inv, size_t k) {
  std::string_view sub = k < inv.argv.size() ? std::string_view(inv.argv[k]) : std::string_view{};
  Module m;
  if (sub == "download") {
    if (!load_module(c, m, "go mod download", true)) return 1;
    c.key(deps_identity(m));
    bool mounted = c.on_cache_mount(modcache(c));
    uint64_t bytes = fill_modcache(c, m, 1.0, "go mod download");
    double n = static_cast<double>(m.modules());
    double cold = 0.5 + fig::go_mod_s_per_module_cold.value * n;
    c.time(cold, mounted ? 0.5 : cold);
    c.recognise("go mod download",
                fmt::format("{} modules from go.mod -> {} {} (estimated){}", m.modules(), modcache(c), human_size(bytes),
                            mounted ? " on a cache mount" : ""),
                fig::go_module.source);
    return 0;
  }
  if (sub == "tidy" || sub == "verify" || sub == "graph" || sub == "why" || sub == "edit" || sub == "init") {
    if (!load_module(c, m, "go mod " + std::string(sub), sub != "init")) {
      if (sub == "init") {
        std::string name = k + 1 < inv.argv.size() ? inv.argv[k + 1] : "example.com/app";
        c.write_text(c.abs("go.mod"), fmt::format("module {}\n\ngo 1.22\n", name));
        c.recognise("go mod init", "writes go.mod");
        return 0;
      }
      return 1;
    }
    if (sub == "tidy") {
      fill_modcache(c, m, 1.0, "go mod tidy");
      c.write_unknown(clean_abs("go.sum", m.root), m.sum ? m.sum->size : 0, "rewritten by go mod tidy", true,
                      hash_combine(deps_identity(m), "go.sum"));
      c.output_unknown();
    }
    c.recognise("go mod " + std::string(sub), sub == "tidy" ? "downloads modules and rewrites go.mod/go.sum" : "no change");
    return 0;
  }
  if (sub == "vendor") {
    if (!load_module(c, m, "go mod vendor", true)) return 1;
    fill_modcache(c, m, 1.0, "go mod vendor");
    uint64_t id = hash_combine(deps_identity(m), "vendor");
    uint64_t bytes = mb(static_cast<double>(m.modules()) * fig::go_module.value * 0.3);
    c.key(id);
    c.put_summary(clean_abs("vendor", m.root), bytes, id,
                  fmt::format("go mod vendor: dfplay estimate, 30% of the module cache ({})", fig::go_module.source));
    c.recognise("go mod vendor", fmt::format("copies the needed packages into vendor/ ({} estimated)", human_size(bytes)));
    return 0;
  }
  c.unknown("go mod " + std::string(sub));
  return 0;
}

std::string package_name_for(const Ctx& c, const Module& m, std::string_view pkg) {
  std::string_view p = pkg;
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  if (p.size() > 3 && p.substr(p.size() - 3) == ".go") return std::string(base_name(clean_abs(p)).substr(0, base_name(clean_abs(p)).size() - 3));
  if (p.empty() || p == ".") {
    if (m.info && !m.info->module.empty()) return std::string(base_name(m.info->module));
    return std::string(base_name(c.cwd));
  }
  if (p.rfind("./", 0) == 0 || p.rfind("../", 0) == 0) return std::string(base_name(c.abs(p)));
  size_t at = p.find('@');
  if (at != std::string_view::npos) p = p.substr(0, at);
  std::string_view b = base_name(p);
  // github.com/x/y/v2 -> y
  if (b.size() >= 2 && b[0] == 'v' && b.find_first_not_of("0123456789", 1) == std::string_view::npos)
    b = base_name(parent_path(std::string("/") + std::string(p)));
  return std::string(b);
}

// -s and -w in -ldflags (and GOFLAGS): strip the symbol table and the DWARF data.
struct StripFlags {
  bool s = false, w = false;
};
StripFlags strip_flags(std::string_view ldflags) {
  StripFlags f;
  std::string tok;
  for (size_t i = 0; i <= ldflags.size(); ++i) {
    char ch = i < ldflags.size() ? ldflags[i] : ' ';
    if (ch == ' ' || ch == '\t' || ch == '"' || ch == '\'') {
      if (tok == "-s" || tok == "-s=true") f.s = true;
      if (tok == "-w" || tok == "-w=true") f.w = true;
      tok.clear();
    } else {
      tok += ch;
    }
  }
  return f;
}

// The Go sources a build reads (the module's .go files but tests, testdata and hidden folders,
// and vendor/; without a module, the .go files named), mixed into `key`.
struct GoSources {
  uint64_t bytes = 0;
  size_t files = 0;
};
GoSources go_sources(Ctx& c, const Module* m, const std::vector<std::string_view>& pkgs, uint64_t& key) {
  GoSources out;
  if (m) {
    key = hash_combine(key, deps_identity(*m));
    c.fs.for_each_under(m->root, [&](const std::string& p, const FileNode& n) {
      std::string_view rel = relative_to(p, m->root);
      if (rel.size() < 4 || rel.substr(rel.size() - 3) != ".go") return;
      if (rel.size() > 8 && rel.substr(rel.size() - 8) == "_test.go") return;
      std::string_view first = rel.substr(0, rel.find('/'));
      if (first == "testdata" || first[0] == '.' || first[0] == '_') return;
      key = hash_combine(key, hash_combine(n.hash, rel));
      out.bytes += n.size;
      ++out.files;
    });
    if (const FileNode* vendor = c.fs.find(clean_abs("vendor", m->root))) key = hash_combine(key, vendor->hash);
  } else {
    for (auto p : pkgs)
      if (const FileNode* f = c.fs.find(c.abs(p))) {
        key = hash_combine(key, f->hash);
        out.bytes += f->size;
        ++out.files;
      }
  }
  return out;
}

// The build cache (GOCACHE) the build fills, unless GOCACHE=off; says whether it is on a cache mount.
bool put_go_build_cache(Ctx& c, uint64_t key, size_t n_mod, const std::string& tool) {
  std::string gc = gocache(c);
  bool gc_mounted = c.on_cache_mount(gc);
  uint64_t cache_bytes = mb(fig::go_build_cache.value + fig::go_build_cache_per_module.value * static_cast<double>(n_mod));
  if (!(c.get("GOCACHE") && *c.get("GOCACHE") == "off")) {
    const FileNode* old = c.fs.find(gc);
    uint64_t prev = old && old->summary ? old->size : 0;
    c.put_summary(gc, std::max(prev, cache_bytes), hash_combine(key, "go-build"),
                  fmt::format("{}: {} + {}", tool, fig::go_build_cache.source, fig::go_build_cache_per_module.source), true);
    if (!gc_mounted)
      c.note(fmt::format("{}: the build cache ({}, ~{}) stays in the layer: use --mount=type=cache,target={}", tool, gc,
                         human_size(cache_bytes), gc));
  }
  return gc_mounted;
}

// Where the binary goes (-o FILE or DIR, $GOBIN or $GOPATH/bin for go install, the package's name
// in the working directory) and the binary itself; "" when the build writes none.
std::string place_go_binary(Ctx& c, const Args& a, const Module& m, const std::vector<std::string_view>& pkgs,
                            bool install, uint64_t key, uint64_t size, const std::string& src) {
  bool multi = pkgs.size() > 1 || (pkgs.size() == 1 && pkgs[0].find("...") != std::string_view::npos);
  auto put_binary = [&](const std::string& path, uint64_t identity) {
    FileNode bin;
    bin.size = size;
    bin.mode = 0755;
    bin.layer = c.layer;
    bin.uid = c.user.uid;
    bin.gid = c.user.gid;
    bin.hash = identity;
    bin.estimated = true;
    bin.source = src;
    c.fs.put(path, std::move(bin));
  };
  std::string out;
  if (auto o = a.value("-o")) {
    std::string target = c.abs(*o);
    bool dir = (!o->empty() && o->back() == '/') || c.fs.is_dir(target);
    if (dir || multi) {
      for (auto p : (pkgs.empty() ? std::vector<std::string_view>{"."} : pkgs)) {
        std::string name = package_name_for(c, m, p);
        out = clean_abs(name, target);
        put_binary(out, hash_combine(key, name));
      }
    } else {
      out = target;
    }
  } else if (install) {
    std::string bin = c.get("GOBIN") ? c.abs(*c.get("GOBIN")) : gopath(c) + "/bin";
    std::string name = package_name_for(c, m, pkgs.empty() ? "." : pkgs[0]);
    out = clean_abs(name, bin);
  } else if (!multi) {
    std::string name = package_name_for(c, m, pkgs.empty() ? "." : pkgs[0]);
    out = c.abs(name);
  } else {
    c.note("go build of several packages without -o writes no binary (compile check only)");
  }
  if (!out.empty() && !c.fs.exists(out)) {
    put_binary(out, hash_combine(key, out));
    c.eff.estimated = true;
  } else if (!out.empty()) {
    FileNode b = *c.fs.find(out);
    if (!b.is_dir()) {
      b.size = size;
      b.mode = 0755;
      b.layer = c.layer;
      b.hash = hash_combine(key, out);
      b.estimated = true;
      b.source = src;
      b.content.reset();
      c.fs.put(out, std::move(b));
    }
  }
  return out;
}

int g_build(Ctx& c, Inv& inv, size_t k, bool install) {
  std::string tool = install ? "go install" : "go build";
  Args a = parse_args(inv, {"-o", "-ldflags", "-gcflags", "-tags", "-mod", "-p", "-buildmode", "-asmflags",
                            "-pkgdir", "-modfile", "-overlay", "-pgo", "-toolexec", "-installsuffix", "-compiler",
                            "-gccgoflags", "-buildvcs", "-C"},
                      k);
  struct RestoreCwd {
    Ctx& c;
    std::string saved;
    ~RestoreCwd() { c.cwd = saved; }
  } restore{c, c.cwd};
  if (auto dir = a.value("-C")) c.cwd = c.abs(*dir);
  std::vector<std::string_view> pkgs = a.positional;
  bool remote = false;
  for (auto p : pkgs)
    if (p.find('@') != std::string_view::npos) remote = true;
  Module m;
  bool have_mod = load_module(c, m, tool, false);
  if (!have_mod && !remote) {
    bool files = !pkgs.empty() && std::all_of(pkgs.begin(), pkgs.end(), [](std::string_view p) {
      return p.size() > 3 && p.substr(p.size() - 3) == ".go";
    });
    if (!files) {
      c.fail(fmt::format("{}: go.mod file not found in current directory or any parent directory", tool));
      return 1;
    }
  }
  std::string goos = c.get("GOOS") ? *c.get("GOOS") : "linux";
  std::string goarch = c.get("GOARCH") ? *c.get("GOARCH") : "amd64";
  std::string cgo = c.get("CGO_ENABLED") ? *c.get("CGO_ENABLED") : "1";
  std::string ldflags(a.value("-ldflags").value_or(""));
  if (const std::string* gf = c.get("GOFLAGS")) ldflags += " " + *gf;
  const StripFlags strip = strip_flags(ldflags);
  const bool strip_s = strip.s, stripped = strip.s && strip.w;
  if (inv.dynamic && (ldflags.find("$(date") != std::string::npos || ldflags.find("`date") != std::string::npos))
    c.non_reproducible(fmt::format("{}: -ldflags embed the build time", tool));
  if (inv.dynamic && ldflags.find("$(git") != std::string::npos)
    c.note(fmt::format("{}: -ldflags read git metadata: the output depends on .git", tool));

  // Key: the module's sources and requirements plus what changes the binary.
  uint64_t key = content_hash(tool);
  key = hash_combine(key, fmt::format("{}|{}|{}|{}|{}", goos, goarch, cgo, ldflags, a.value("-tags").value_or("")));
  for (const auto& [n, v] : a.options) key = hash_combine(key, fmt::format("{}={}", n, v));
  for (auto p : pkgs) key = hash_combine(key, p);
  const GoSources sources = go_sources(c, have_mod ? &m : nullptr, pkgs, key);
  const uint64_t src_bytes = sources.bytes;
  const size_t src_files = sources.files;
  if (remote) c.output_unknown();
  c.key(key);

  // Modules needed by the build: downloaded now if the module cache does not have them.
  std::string mc = modcache(c);
  bool mc_mounted = c.on_cache_mount(mc);
  uint64_t downloaded = 0;
  if (have_mod && m.modules() > 0) {
    const FileNode* have = c.fs.find(mc);
    if (!(have && have->summary && have->hash == deps_identity(m)) && !c.fs.exists(clean_abs("vendor", m.root))) {
      downloaded = fill_modcache(c, m, 0.7, tool);
      if (downloaded && !mc_mounted)
        c.note(fmt::format("{}: downloads modules into {} (a `go mod download` step before COPY . . caches them)", tool, mc));
    }
  }
  // Build cache.
  size_t n_mod = have_mod ? m.modules() : 0;
  const bool gc_mounted = put_go_build_cache(c, key, n_mod, tool);
  // The binary.
  size_t direct = have_mod && m.info ? m.info->direct : 0;
  double size = fig::go_binary_base.value + fig::go_binary_per_dep.value * static_cast<double>(direct) +
                static_cast<double>(src_bytes) * 0.5;
  std::string src = fmt::format("{}; + {} per direct dependency; + 50% of the Go sources (dfplay estimate)",
                                fig::go_binary_base.source, fig::go_binary_per_dep.source);
  if (stripped || strip_s) {
    size *= fig::go_strip_ratio.value;
    src += fmt::format("; {}", fig::go_strip_ratio.source);
  }
  const std::string out = place_go_binary(c, a, m, pkgs, install, key, mb(size), src);
  double cold = fig::go_build_s_cold.value + fig::go_build_s_per_module.value * static_cast<double>(n_mod) +
                static_cast<double>(src_files) * 0.05;
  if (downloaded) cold += fig::go_mod_s_per_module_cold.value * static_cast<double>(n_mod);
  double warm = gc_mounted ? fig::go_build_s_warm.value + 0.2 * static_cast<double>(n_mod) : cold;
  c.time(cold, warm);
  c.recognise(tool, fmt::format("{} Go file(s), {} modules, CGO_ENABLED={}, GOOS={}{} -> {} ({} estimated)", src_files,
                                n_mod, cgo, goos, stripped ? ", -s -w" : "", out.empty() ? "(no binary)" : out,
                                human_size(mb(size))),
              src);
  if (cgo != "0" && c.in.os_family != "alpine")
    c.note(fmt::format("{}: CGO_ENABLED is not 0: the binary links libc dynamically and will not run on scratch/distroless static", tool));
  else if (cgo != "0" && c.in.os_family == "alpine")
    c.note(fmt::format("{}: CGO_ENABLED defaults to 1 but golang:alpine has no gcc: cgo packages fail; pure Go builds still work", tool));
  return 0;
}

int g_go(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  size_t k = 1;
  if (k >= inv.argv.size()) return 2;
  std::string_view sub = inv.argv[k];
  if (sub == "mod") return g_mod(c, inv, k + 1);
  if (sub == "build") return g_build(c, inv, k + 1, false);
  if (sub == "install") return g_build(c, inv, k + 1, true);
  if (sub == "get") {
    Module m;
    if (!load_module(c, m, "go get", true)) return 1;
    fill_modcache(c, m, 1.0, "go get");
    c.write_unknown(clean_abs("go.mod", m.root), m.mod->size + 60, "edited by go get", true,
                    hash_combine(deps_identity(m), inv.argv.back()));
    c.output_unknown();
    c.time(3.0);
    c.recognise("go get", "adds or updates requirements in go.mod");
    return 0;
  }
  if (sub == "test" || sub == "vet") {
    Module m;
    if (!load_module(c, m, "go " + std::string(sub), true)) return 1;
    fill_modcache(c, m, 1.0, "go " + std::string(sub));
    std::string gc = gocache(c);
    const FileNode* old = c.fs.find(gc);
    uint64_t bytes = mb(fig::go_build_cache.value);
    c.put_summary(gc, old && old->summary ? std::max(old->size, bytes) : bytes, hash_combine(deps_identity(m), sub),
                  fmt::format("go {}: {}", sub, fig::go_build_cache.source), true);
    c.time(fig::go_build_s_cold.value);
    c.recognise("go " + std::string(sub), "compiles and checks packages (build cache only)");
    return 0;
  }
  if (sub == "clean") {
    // Go's flags are single-dash words (-cache, -modcache): not bundles of letters.
    auto has = [&](std::string_view f) {
      for (size_t i = k + 1; i < inv.argv.size(); ++i)
        if (inv.argv[i] == f || (inv.argv[i].size() == f.size() + 1 && inv.argv[i][0] == '-' &&
                                   std::string_view(inv.argv[i]).substr(1) == f))
          return true;
      return false;
    };
    uint64_t bytes = 0;
    if (has("-cache")) bytes += c.remove(gocache(c));
    if (has("-modcache")) bytes += c.remove(modcache(c));
    c.recognise("go clean", fmt::format("removes caches ({})", human_size(bytes)));
    return 0;
  }
  if (sub == "version" || sub == "env" || sub == "list" || sub == "doc" || sub == "help" || sub == "fmt" ||
      sub == "tool") {
    c.recognise("go " + std::string(sub), "no change");
    return 0;
  }
  if (sub == "generate") {
    c.unknown("go generate", "runs the //go:generate commands of the sources");
    return 0;
  }
  if (sub == "run") {
    c.unknown("go run", "runs a program whose effect is not modelled");
    return 0;
  }
  c.unknown("go " + std::string(sub));
  return 0;
}

}  // namespace

void register_go(Registry& r) { r.add("go", g_go); }

}  // namespace dfplay::sim::detail
