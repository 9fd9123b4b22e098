// Node.js package managers: npm (ci, install, run, cache clean, prune), npx, yarn, pnpm,
// corepack. The build tools their scripts run (tsc, vite, next, webpack, react-scripts, nest, ng,
// rollup, esbuild, babel, tsup, parcel, astro, nuxt, gatsby, prisma) are in node_compile.cpp.
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

// ---- packages ----

struct BinEntry {
  std::string_view package;
  std::string_view bins[3];
};
constexpr BinEntry kBins[] = {
    {"typescript", {"tsc", "tsserver"}},
    {"vite", {"vite"}},
    {"next", {"next"}},
    {"webpack", {"webpack"}},
    {"webpack-cli", {"webpack", "webpack-cli"}},
    {"react-scripts", {"react-scripts"}},
    {"@nestjs/cli", {"nest"}},
    {"@angular/cli", {"ng"}},
    {"rollup", {"rollup"}},
    {"esbuild", {"esbuild"}},
    {"@babel/cli", {"babel"}},
    {"tsup", {"tsup"}},
    {"parcel", {"parcel"}},
    {"astro", {"astro"}},
    {"nuxt", {"nuxt", "nuxi"}},
    {"@sveltejs/kit", {"svelte-kit"}},
    {"gatsby", {"gatsby"}},
    {"@vue/cli-service", {"vue-cli-service"}},
    {"@remix-run/dev", {"remix"}},
    {"prisma", {"prisma"}},
    {"eslint", {"eslint"}},
    {"jest", {"jest"}},
    {"vitest", {"vitest"}},
    {"mocha", {"mocha"}},
    {"prettier", {"prettier"}},
    {"ts-node", {"ts-node"}},
    {"tsx", {"tsx"}},
    {"nodemon", {"nodemon"}},
    {"pm2", {"pm2"}},
    {"rimraf", {"rimraf"}},
    {"npm-run-all", {"npm-run-all", "run-s", "run-p"}},
    {"concurrently", {"concurrently"}},
};

const BinEntry* bins_of(std::string_view package) {
  for (const auto& b : kBins)
    if (b.package == package) return &b;
  return nullptr;
}

std::string_view package_of_bin(std::string_view bin) {
  for (const auto& b : kBins)
    for (auto x : b.bins)
      if (!x.empty() && x == bin) return b.package;
  return {};
}

double dep_size(std::string_view name, std::string* source = nullptr) {
  if (name == "typescript") {
    if (source) *source = fig::npm_typescript.source;
    return fig::npm_typescript.value;
  }
  if (name.rfind("@types/", 0) == 0) {
    if (source) *source = fig::npm_types_dep.source;
    return fig::npm_types_dep.value;
  }
  if (name == "npm") {
    if (source) *source = fig::npm_npm.source;
    return fig::npm_npm.value;
  }
  if (source) *source = fig::npm_dep_default.source;
  return fig::npm_dep_default.value;
}

}  // namespace

// The directory holding package.json: cwd or the nearest parent with one.
std::string project_dir(const Ctx& c, std::string_view start) {
  std::string d(start);
  for (int guard = 0; guard < 64; ++guard) {
    if (c.fs.exists(clean_abs("package.json", d))) return d;
    if (d == "/") break;
    d = std::string(parent_path(d));
  }
  return std::string(start);
}

namespace {

bool ours(const FileNode* nm) {
  if (!nm || !nm->summary) return false;
  const std::string& s = nm->source;
  return s.rfind("npm ", 0) == 0 || s.rfind("yarn ", 0) == 0 || s.rfind("pnpm ", 0) == 0;
}

enum class Avail { Yes, No, Unknown };

// Is `bin` runnable? Local bins count only inside scripts/npx (or with node_modules/.bin on PATH).
Avail bin_available(const Ctx& c, std::string_view bin, bool local_ok, std::string* why = nullptr) {
  for (const char* g : {"/usr/local/bin/", "/usr/bin/", "/usr/local/lib/node_modules/.bin/"})
    if (c.fs.exists(std::string(g) + std::string(bin))) return Avail::Yes;
  const std::string* path = c.get("PATH");
  bool path_has_local = path && path->find("node_modules/.bin") != std::string::npos;
  std::string d = c.cwd;
  Avail result = Avail::No;
  for (int guard = 0; guard < 64; ++guard) {
    std::string nm = clean_abs("node_modules", d);
    if (const FileNode* n = c.fs.find(nm)) {
      if (c.fs.exists(nm + "/.bin/" + std::string(bin))) {
        if (local_ok || path_has_local) return Avail::Yes;
        if (why) *why = "only in node_modules/.bin, which is on PATH inside npm scripts and npx only";
        return Avail::No;
      }
      if (n->summary && !ours(n)) result = Avail::Unknown;
      if (!n->summary && !c.fs.exists(nm + "/.bin")) result = Avail::Unknown;
      break;
    }
    if (d == "/") break;
    d = std::string(parent_path(d));
  }
  if (result == Avail::No && why && why->empty()) {
    std::string_view pkg = package_of_bin(bin);
    *why = pkg.empty() ? "not installed" : fmt::format("not installed ({} is not in node_modules)", pkg);
  }
  return result;
}

}  // namespace

// Requires a JS tool: records a failure if it is certainly missing. Returns false if missing.
bool require_bin(Ctx& c, std::string_view bin) {
  std::string why;
  Avail a = bin_available(c, bin, c.npm_script > 0, &why);
  if (a == Avail::No) {
    c.fail(fmt::format("sh: {}: not found ({})", bin, why));
    return false;
  }
  return true;
}

namespace {

std::string npm_cache_dir(const Ctx& c, const Args& a) {
  if (auto v = a.value("--cache")) return c.abs(*v);
  for (const char* e : {"npm_config_cache", "NPM_CONFIG_CACHE"})
    if (const std::string* v = c.get(e); v && !v->empty()) return c.abs(*v);
  const std::string* home = c.get("HOME");
  return clean_abs(".npm", home ? *home : c.user.home);
}

struct InstallPlan {
  std::string tool;        // "npm ci"
  std::string proj;        // project dir
  std::string nm;          // node_modules path
  const PackageJson* pkg = nullptr;
  std::shared_ptr<const PackageJson> pkg_hold;
  const FileNode* pkg_node = nullptr;
  const FileNode* lock_node = nullptr;
  std::string lock_name;
  bool omit_dev = false;
  bool fresh = false;      // remove node_modules first (npm ci)
  std::string cache_dir;   // where downloads are cached
  double cache_ratio = fig::npm_cache_ratio.value;
  const char* cache_source = fig::npm_cache_ratio.source;
  bool pnpm = false;
};

bool env_production(const Ctx& c) {
  const std::string* v = c.get("NODE_ENV");
  return v && *v == "production";
}

// Installs the dependencies of package.json as one node_modules summary.
void install_deps(Ctx& c, InstallPlan& p) {
  const PackageJson& pkg = *p.pkg;
  double size = 0;
  std::vector<std::string_view> installed;
  for (const auto& d : pkg.deps) {
    size += dep_size(d);
    installed.push_back(d);
  }
  for (const auto& d : pkg.optional_deps) {
    size += dep_size(d);
    installed.push_back(d);
  }
  if (!p.omit_dev)
    for (const auto& d : pkg.dev_deps) {
      size += dep_size(d);
      installed.push_back(d);
    }
  uint64_t bytes = mb(size);
  uint64_t identity = content_hash(p.tool);
  identity = hash_combine(identity, p.pkg_node->hash);
  identity = hash_combine(identity, p.lock_node ? p.lock_node->hash : 0);
  identity = hash_combine(identity, p.omit_dev ? 1 : 0);
  c.key(identity);
  if (!p.lock_node) c.output_unknown();  // versions are resolved at build time

  const FileNode* existing = c.fs.find(p.nm);
  bool up_to_date = existing && existing->summary && existing->hash == identity && !p.fresh;
  std::string lock_info;
  if (p.lock_node) {
    auto lock = p.lock_name == "package-lock.json" || p.lock_name == "npm-shrinkwrap.json"
                    ? parse_package_lock(*p.lock_node)
                    : nullptr;
    if (lock && lock->valid)
      lock_info = fmt::format(", {}: {} packages ({} dev)", p.lock_name, lock->packages, lock->dev_packages);
    else
      lock_info = fmt::format(", {}", p.lock_name);
  }
  std::string what = fmt::format("{} dependencies{} + {} devDependencies{} from package.json{}", pkg.deps.size(),
                                 pkg.optional_deps.empty() ? "" : fmt::format(" + {} optional", pkg.optional_deps.size()),
                                 pkg.dev_deps.size(), p.omit_dev ? " (omitted)" : "", lock_info);
  if (up_to_date) {
    c.time(1.0);
    c.recognise(p.tool, what + ": node_modules already up to date");
    return;
  }
  std::string src = fmt::format("{}: {}", p.tool, fig::npm_dep_default.source);
  if (std::find(installed.begin(), installed.end(), "typescript") != installed.end())
    src += fmt::format("; {}", fig::npm_typescript.source);
  if (p.fresh && existing) c.remove(p.nm);
  uint64_t nm_bytes = bytes;
  bool store_on_mount = p.pnpm && c.on_mount(p.cache_dir);
  if (p.pnpm && !store_on_mount) nm_bytes = mb(static_cast<double>(bytes) * fig::pnpm_store_ratio.value);
  c.put_summary(p.nm, nm_bytes, identity, src, true);
  // npm 7+ keeps a hidden lockfile; bins are linked into node_modules/.bin.
  if (!p.pnpm && p.tool.rfind("npm", 0) == 0) {
    FileNode hidden;
    hidden.size = p.lock_node ? p.lock_node->size : 2000;
    hidden.layer = c.layer;
    hidden.uid = c.user.uid;
    hidden.gid = c.user.gid;
    hidden.hash = hash_combine(identity, ".package-lock.json");
    hidden.estimated = true;
    hidden.source = "npm's hidden lockfile (about the size of package-lock.json)";
    c.fs.put(p.nm + "/.package-lock.json", std::move(hidden));
  }
  for (auto d : installed) {
    if (const BinEntry* b = bins_of(d)) {
      for (auto bin : b->bins) {
        if (bin.empty()) continue;
        FileNode l = symlink_node(fmt::format("../{}/bin/{}", d, bin), c.layer);
        l.uid = c.user.uid;
        l.gid = c.user.gid;
        c.fs.put(p.nm + "/.bin/" + std::string(bin), std::move(l));
      }
    }
  }
  // The download cache.
  double cache = static_cast<double>(bytes) * (p.pnpm ? 1.0 : p.cache_ratio);
  bool cache_mounted = c.on_cache_mount(p.cache_dir);
  if (!p.cache_dir.empty()) {
    std::string cache_path = p.pnpm ? p.cache_dir : p.cache_dir + (p.tool.rfind("npm", 0) == 0 ? "/_cacache" : "");
    const FileNode* old = c.fs.find(cache_path);
    uint64_t cache_bytes = mb(cache);
    if (old && old->summary) cache_bytes = std::max(cache_bytes, old->size);
    c.put_summary(cache_path, cache_bytes, hash_combine(identity, "cache"),
                  fmt::format("{} download cache: {}", p.tool, p.pnpm ? "the pnpm store holds the package files" : p.cache_source), true);
  }
  double mbytes = static_cast<double>(bytes) / 1e6;
  double cold = fig::npm_fixed_s.value + fig::npm_s_per_mb_cold.value * mbytes;
  double warm = cache_mounted ? fig::npm_fixed_s.value + fig::npm_s_per_mb_warm.value * mbytes : cold;
  c.time(cold, warm);
  c.recognise(p.tool, fmt::format("{} -> node_modules {} (estimated){}", what, human_size(nm_bytes),
                                  cache_mounted ? "; download cache on a cache mount"
                                                : fmt::format("; cache {} in {}", human_size(mb(cache)), p.cache_dir)),
              src);
  if (!cache_mounted && !p.cache_dir.empty() && p.tool.rfind("npm", 0) == 0)
    c.note(fmt::format("{}: the npm cache ({}) stays in the layer: use --mount=type=cache,target={} or `npm cache "
                       "clean --force` in the same RUN",
                       p.tool, p.cache_dir, p.cache_dir));
}

bool load_package(Ctx& c, InstallPlan& p, std::string_view tool) {
  p.pkg_node = c.fs.find(clean_abs("package.json", p.proj));
  if (!p.pkg_node) {
    c.fail(fmt::format("{}: no package.json in {} (ENOENT)", tool, p.proj));
    return false;
  }
  c.key(p.pkg_node->hash);
  p.pkg_hold = parse_package_json(*p.pkg_node);
  p.pkg = p.pkg_hold.get();
  if (!p.pkg->valid) {
    if (p.pkg_node->content) {
      c.fail(fmt::format("{}: package.json is not valid JSON", tool));
      return false;
    }
    c.unknown(std::string(tool), "package.json content unknown");
    return false;
  }
  p.nm = clean_abs("node_modules", p.proj);
  return true;
}

const FileNode* find_lock(const Ctx& c, const std::string& proj, std::initializer_list<const char*> names,
                          std::string& found) {
  for (const char* n : names) {
    if (const FileNode* f = c.fs.find(clean_abs(n, proj))) {
      found = n;
      return f;
    }
  }
  return nullptr;
}

// ---- scripts ----

int run_package_script(Ctx& c, const std::string& proj, const PackageJson& pkg, std::string_view name,
                       std::string_view tool, const std::vector<std::string>& extra) {
  const std::string* body = pkg.script(name);
  if (!body) {
    c.fail(fmt::format("{}: missing script: \"{}\"", tool, name));
    return 1;
  }
  std::string saved = c.cwd;
  c.cwd = proj;
  ++c.npm_script;
  c.time(0.3);
  int status = 0;
  std::string pre = "pre" + std::string(name), post = "post" + std::string(name);
  if (const std::string* p = pkg.script(pre)) status = c.run_script(*p);
  std::string text = *body;
  for (const auto& e : extra) {
    text += ' ';
    text += e;
  }
  if (status == 0) status = c.run_script(text);
  if (status == 0)
    if (const std::string* p = pkg.script(post)) status = c.run_script(*p);
  --c.npm_script;
  c.cwd = saved;
  c.recognise(fmt::format("{} {}", tool, name), fmt::format("runs the package.json script `{}`", *body));
  return status;
}

// ---- npm ----

std::string_view npm_alias(std::string_view s) {
  if (s == "i" || s == "isntall" || s == "add" || s == "in" || s == "ins" || s == "inst" || s == "insta" ||
      s == "instal" || s == "isnt" || s == "isnta" || s == "isntal")
    return "install";
  if (s == "clean-install" || s == "ic" || s == "install-clean" || s == "isntall-clean") return "ci";
  if (s == "run-script" || s == "rum" || s == "urn") return "run";
  if (s == "t" || s == "tst") return "test";
  if (s == "rm" || s == "r" || s == "un" || s == "uninstall" || s == "remove" || s == "unlink") return "uninstall";
  if (s == "x") return "exec";
  if (s == "up" || s == "upgrade" || s == "udpate") return "update";
  return s;
}

bool omit_dev_flags(const Ctx& c, const Args& a) {
  bool omit = env_production(c);
  const std::string* prod = c.get("npm_config_production");
  if (prod && *prod == "true") omit = true;
  for (const auto& [n, v] : a.options) {
    if (n == "--production" || n == "--prod") omit = true;
    if ((n == "--omit" && v == "dev") || ((n == "--only") && (v == "prod" || v == "production"))) omit = true;
    if (n == "--include" && v == "dev") omit = false;
    if (n == "--production" && v == "false") omit = false;
  }
  return omit;
}

int npm_global_install(Ctx& c, const std::vector<std::string_view>& pkgs, std::string_view tool) {
  std::string prefix = "/usr/local";
  for (const char* e : {"npm_config_prefix", "NPM_CONFIG_PREFIX"})
    if (const std::string* v = c.get(e); v && !v->empty()) prefix = c.abs(*v);
  double total = 0;
  for (auto spec : pkgs) {
    std::string name(spec);
    size_t at = name.find('@', 1);
    if (at != std::string::npos) name.resize(at);
    std::string src;
    double size = dep_size(name, &src);
    total += size;
    std::string dir = prefix + "/lib/node_modules/" + name;
    c.put_summary(dir, mb(size), hash_combine(content_hash("npm -g"), spec), fmt::format("{} -g: {}", tool, src), true);
    if (const BinEntry* b = bins_of(name))
      for (auto bin : b->bins)
        if (!bin.empty()) {
          FileNode l = symlink_node(fmt::format("../lib/node_modules/{}/bin/{}", name, bin), c.layer);
          c.fs.put(prefix + "/bin/" + std::string(bin), std::move(l));
        }
    if (name == "npm") c.note("npm install -g npm: replaces the image's npm (19 MB) in a new layer");
    if (name == "yarn" || name == "pnpm") {
      FileNode l = symlink_node(fmt::format("../lib/node_modules/{}/bin/{}", name, name), c.layer);
      c.fs.put(prefix + "/bin/" + name, std::move(l));
    }
  }
  c.key(content_hash("npm -g"));
  c.output_unknown();  // unpinned versions are resolved at build time
  double mbytes = total / 1e6;
  c.time(fig::npm_fixed_s.value + fig::npm_s_per_mb_cold.value * mbytes);
  c.recognise(std::string(tool) + " -g", fmt::format("installs {} global package(s), {} (estimated)", pkgs.size(),
                                                     human_size(mb(total))),
              fig::npm_dep_default.source);
  return 0;
}

int n_npm(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--prefix", "-C", "--cache", "--registry", "--omit", "--include", "--only", "--loglevel",
                            "-w", "--workspace", "--userconfig", "--tag", "--install-strategy"},
                      1);
  if (a.positional.empty()) {
    if (a.has("-v") || a.has("--version")) {
      c.recognise("npm --version", "prints the version");
      return 0;
    }
    c.recognise("npm", "prints the usage (no change)");
    return 1;
  }
  std::string_view sub = npm_alias(a.positional[0]);
  std::vector<std::string_view> rest(a.positional.begin() + 1, a.positional.end());
  InstallPlan p;
  p.proj = project_dir(c, a.value("--prefix", "-C") ? c.abs(*a.value("--prefix", "-C")) : c.cwd);
  bool global = a.has("-g") || a.has("--global") || a.has("--location") ;
  if (auto loc = a.value("--location"); loc && *loc != "global") global = false;

  if (sub == "ci" || (sub == "install" && rest.empty() && !global)) {
    p.tool = sub == "ci" ? "npm ci" : "npm install";
    if (!load_package(c, p, p.tool)) return 1;
    p.lock_node = find_lock(c, p.proj, {"npm-shrinkwrap.json", "package-lock.json"}, p.lock_name);
    if (sub == "ci" && !p.lock_node) {
      c.fail("npm ci: needs a package-lock.json or npm-shrinkwrap.json (EUSAGE); copy it before this step or use npm install");
      return 1;
    }
    p.omit_dev = omit_dev_flags(c, a);
    p.fresh = sub == "ci";
    p.cache_dir = npm_cache_dir(c, a);
    install_deps(c, p);
    if (sub == "install" && !p.lock_node) {
      c.write_unknown(clean_abs("package-lock.json", p.proj), 0, "generated by npm install", true);
      c.note("npm install without package-lock.json: versions are resolved at build time (not reproducible)");
    }
    return 0;
  }
  if (sub == "install" || sub == "uninstall" || sub == "update") {
    std::vector<std::string_view> pkgs;
    for (auto r : rest) pkgs.push_back(r);
    if (global && sub == "install") return npm_global_install(c, pkgs, "npm install");
    if (!load_package(c, p, "npm " + std::string(sub))) return 1;
    const FileNode* nm = c.fs.find(p.nm);
    double delta = 0;
    for (auto s : pkgs) delta += dep_size(s);
    uint64_t base = nm ? nm->size : 0;
    uint64_t size = sub == "uninstall" ? (base > mb(delta) ? base - mb(delta) : 0)
                                       : (sub == "update" ? base : base + mb(delta));
    uint64_t identity = hash_combine(nm ? nm->hash : 0, fmt::format("npm {} {}", sub, fmt::join(pkgs, " ")));
    if (sub == "update" && !nm) size = 0;
    c.put_summary(p.nm, size, identity, fmt::format("npm {}: {}", sub, fig::npm_dep_default.source), true);
    c.write_unknown(clean_abs("package.json", p.proj), p.pkg_node->size + 40, fmt::format("edited by npm {}", sub), true,
                    hash_combine(identity, "package.json"));
    c.output_unknown();
    c.time(fig::npm_fixed_s.value + fig::npm_s_per_mb_cold.value * delta / 1e6);
    c.recognise("npm " + std::string(sub), fmt::format("{} {} package(s) ({} estimated)", sub, pkgs.size(), human_size(mb(delta))),
                fig::npm_dep_default.source);
    if (sub == "install") c.note("npm install <pkg> in a Dockerfile edits package.json at build time; add it to package.json instead");
    return 0;
  }
  if (sub == "run" || sub == "test" || sub == "start" || sub == "stop" || sub == "restart") {
    std::string name = sub == "run" ? (rest.empty() ? "" : std::string(rest[0])) : std::string(sub);
    if (name.empty()) {
      c.recognise("npm run", "lists scripts (no change)");
      return 0;
    }
    if (!load_package(c, p, "npm " + std::string(sub))) return 1;
    std::vector<std::string> extra;
    bool after_dashes = false;
    for (size_t k = 1; k < inv.argv.size(); ++k) {
      if (after_dashes) extra.push_back(inv.argv[k]);
      if (inv.argv[k] == "--") after_dashes = true;
    }
    if (name == "start" && !p.pkg->script("start")) {
      c.note("npm start without a start script runs `node server.js`: a server never exits, the build would hang");
      return 0;
    }
    if (name == "start" || name == "serve" || name == "dev")
      c.note(fmt::format("npm {}: starts a long-running process; in a RUN the build would hang", name));
    return run_package_script(c, p.proj, *p.pkg, name, "npm run", extra);
  }
  if (sub == "cache") {
    if (!rest.empty() && (rest[0] == "clean" || rest[0] == "clear" || rest[0] == "rm")) {
      std::string dir = npm_cache_dir(c, a);
      uint64_t bytes = c.fs.size_under(dir + "/_cacache");
      c.remove(dir + "/_cacache");
      c.time(0.5);
      c.recognise("npm cache clean", fmt::format("removes the npm cache ({})", human_size(bytes)));
      return 0;
    }
    c.recognise("npm cache", "inspects the cache (no change)");
    return 0;
  }
  if (sub == "prune") {
    if (!load_package(c, p, "npm prune")) return 1;
    p.omit_dev = omit_dev_flags(c, a);
    const FileNode* nm = c.fs.find(p.nm);
    if (!nm) {
      c.recognise("npm prune", "nothing to prune");
      return 0;
    }
    if (p.omit_dev) {
      double size = 0;
      for (const auto& d : p.pkg->deps) size += dep_size(d);
      for (const auto& d : p.pkg->optional_deps) size += dep_size(d);
      uint64_t identity = hash_combine(nm->hash, "prune --omit=dev");
      c.key(identity);
      c.put_summary(p.nm, mb(size), identity, fmt::format("npm prune: {}", fig::npm_dep_default.source), true);
      c.recognise("npm prune --omit=dev", fmt::format("drops {} devDependencies -> node_modules {}", p.pkg->dev_deps.size(),
                                                      human_size(mb(size))));
      c.note("npm prune removes devDependencies, but they stay in the earlier layer that installed them");
    } else {
      c.recognise("npm prune", "removes extraneous packages (no change modelled)");
    }
    return 0;
  }
  if (sub == "exec") {
    std::vector<std::string> argv;
    for (size_t k = 0; k < rest.size(); ++k) argv.emplace_back(rest[k]);
    if (argv.empty()) return 1;
    ++c.npm_script;
    int s = c.run_argv(std::move(argv), inv.in, &inv.out);
    --c.npm_script;
    return s;
  }
  if (sub == "config" || sub == "set" || sub == "get" || sub == "ls" || sub == "list" || sub == "audit" ||
      sub == "outdated" || sub == "view" || sub == "info" || sub == "doctor" || sub == "whoami" || sub == "ping" ||
      sub == "version" || sub == "help" || sub == "root" || sub == "bin" || sub == "pkg" || sub == "explain") {
    c.time(0.3);
    if (sub == "config" || sub == "set") {
      std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
      c.write_unknown(clean_abs(".npmrc", home), 60, "npm config set", true, content_hash(fmt::format("{}", fmt::join(rest, " "))));
    }
    if (sub == "version" && !rest.empty()) c.note("npm version edits package.json");
    c.recognise("npm " + std::string(sub), "reads or sets configuration (no significant change)");
    return 0;
  }
  if (sub == "rebuild") {
    c.recognise("npm rebuild", "rebuilds native addons in node_modules (size unchanged)");
    c.time(5.0);
    return 0;
  }
  if (sub == "pack") {
    c.write_unknown(clean_abs(fmt::format("{}-{}.tgz", p.proj == "/" ? "package" : std::string(base_name(p.proj)), "0.0.0"), p.proj),
                    0, "npm pack", true);
    c.recognise("npm pack", "writes a tarball of the package");
    return 0;
  }
  if (auto* pj = c.fs.find(clean_abs("package.json", p.proj)); pj && sub != "publish") {
    // npm <script> is not a thing (only `npm run <script>`), except the lifecycle aliases above.
    auto pkg = parse_package_json(*pj);
    if (pkg->script(sub)) {
      c.fail(fmt::format("npm {}: unknown command (scripts run with `npm run {}`)", sub, sub));
      return 1;
    }
  }
  c.unknown("npm " + std::string(sub));
  return 0;
}

// ---- npx ----

int n_npx(Ctx& c, Inv& inv) {
  size_t k = 1;
  std::string package;
  while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) {
    if ((inv.argv[k] == "-p" || inv.argv[k] == "--package") && k + 1 < inv.argv.size()) package = inv.argv[++k];
    else if (inv.argv[k].rfind("--package=", 0) == 0) package = inv.argv[k].substr(10);
    ++k;
  }
  if (k >= inv.argv.size()) return 1;
  std::vector<std::string> argv(inv.argv.begin() + static_cast<long>(k), inv.argv.end());
  std::string bin = argv[0];
  size_t at = bin.find('@', 1);
  if (at != std::string::npos) {
    bin.resize(at);
    argv[0] = bin;
  }
  Avail avail = bin_available(c, bin, true);
  if (avail == Avail::No) {
    std::string pkg = package.empty() ? bin : package;
    std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
    c.put_summary(clean_abs(".npm/_npx/" + pkg, home), mb(dep_size(pkg)), content_hash("npx " + pkg),
                  fmt::format("npx download of {}: {}", pkg, fig::npm_dep_default.source), true);
    c.output_unknown();
    c.time(fig::npm_fixed_s.value + 1.0);
    if (bin == "tsc" && package.empty())
      c.note("npx tsc without typescript installed downloads the unrelated `tsc` package, not TypeScript");
    else
      c.note(fmt::format("npx {}: not installed locally, downloaded at build time", bin));
  }
  ++c.npm_script;
  int s = c.run_argv(std::move(argv), inv.in, &inv.out);
  --c.npm_script;
  return s;
}

// ---- yarn, pnpm ----

std::string yarn_cache_dir(const Ctx& c, const Args& a) {
  if (auto v = a.value("--cache-folder")) return c.abs(*v);
  if (const std::string* v = c.get("YARN_CACHE_FOLDER"); v && !v->empty()) return c.abs(*v);
  if (c.is_root()) return "/usr/local/share/.cache/yarn";
  const std::string* home = c.get("HOME");
  return clean_abs(".cache/yarn", home ? *home : c.user.home);
}

int n_yarn(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--cache-folder", "--cwd", "--modules-folder", "--network-timeout", "--mutex"}, 1);
  InstallPlan p;
  p.proj = project_dir(c, a.value("--cwd") ? c.abs(*a.value("--cwd")) : c.cwd);
  std::string_view sub = a.positional.empty() ? "install" : a.positional[0];
  if (a.has("-v") || a.has("--version")) {
    c.recognise("yarn --version", "prints the version");
    return 0;
  }
  if (sub == "install") {
    p.tool = "yarn install";
    if (!load_package(c, p, p.tool)) return 1;
    p.lock_node = find_lock(c, p.proj, {"yarn.lock"}, p.lock_name);
    p.omit_dev = a.has("--production") || a.has("--prod") || env_production(c);
    if (auto v = a.value("--production"); v && *v == "false") p.omit_dev = false;
    p.cache_dir = yarn_cache_dir(c, a);
    p.cache_ratio = 1.0;
    p.cache_source = "dfplay estimate: yarn v1 keeps unpacked packages in its cache (~ the size of node_modules)";
    if ((a.has("--frozen-lockfile") || a.has("--immutable")) && !p.lock_node)
      c.note("yarn --frozen-lockfile without yarn.lock: the lockfile would have to be created");
    install_deps(c, p);
    if (!c.on_cache_mount(p.cache_dir))
      c.note(fmt::format("yarn's cache ({}) stays in the layer: `yarn cache clean` in the same RUN or a cache mount", p.cache_dir));
    return 0;
  }
  if (sub == "add" || sub == "remove" || sub == "upgrade") {
    if (!load_package(c, p, "yarn " + std::string(sub))) return 1;
    double delta = 0;
    for (size_t k = 1; k < a.positional.size(); ++k) delta += dep_size(a.positional[k]);
    const FileNode* nm = c.fs.find(p.nm);
    uint64_t base = nm ? nm->size : 0;
    uint64_t size = sub == "remove" ? (base > mb(delta) ? base - mb(delta) : 0) : base + mb(delta);
    c.put_summary(p.nm, size, hash_combine(nm ? nm->hash : 0, inv.argv.back()), fmt::format("yarn {}: {}", sub, fig::npm_dep_default.source), true);
    c.output_unknown();
    c.time(fig::npm_fixed_s.value + fig::npm_s_per_mb_cold.value * delta / 1e6);
    c.recognise("yarn " + std::string(sub), fmt::format("{} {} package(s)", sub, a.positional.size() - 1));
    return 0;
  }
  if (sub == "global") {
    std::vector<std::string_view> pkgs(a.positional.begin() + std::min<size_t>(2, a.positional.size()), a.positional.end());
    return npm_global_install(c, pkgs, "yarn global add");
  }
  if (sub == "cache") {
    if (a.positional.size() > 1 && a.positional[1] == "clean") {
      std::string dir = yarn_cache_dir(c, a);
      uint64_t bytes = c.fs.size_under(dir);
      c.remove(dir);
      c.recognise("yarn cache clean", fmt::format("removes the yarn cache ({})", human_size(bytes)));
      return 0;
    }
    c.recognise("yarn cache", "inspects the cache (no change)");
    return 0;
  }
  if (sub == "config" || sub == "info" || sub == "list" || sub == "why" || sub == "audit") {
    c.recognise("yarn " + std::string(sub), "no change");
    return 0;
  }
  // yarn run X / yarn X: a package.json script (or a bin).
  if (!load_package(c, p, "yarn")) return 1;
  std::string name(sub == "run" ? (a.positional.size() > 1 ? a.positional[1] : std::string_view{}) : sub);
  if (p.pkg->script(name)) return run_package_script(c, p.proj, *p.pkg, name, "yarn run", {});
  // A local binary: `yarn tsc`.
  std::vector<std::string> argv;
  for (size_t k = sub == "run" ? 1 : 0; k < a.positional.size(); ++k) argv.emplace_back(a.positional[k]);
  if (argv.empty()) return 0;
  ++c.npm_script;
  int s = c.run_argv(std::move(argv), inv.in, &inv.out);
  --c.npm_script;
  return s;
}

int n_pnpm(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"--store-dir", "-C", "--dir", "--filter", "-F"}, 1);
  InstallPlan p;
  p.proj = project_dir(c, a.value("-C", "--dir") ? c.abs(*a.value("-C", "--dir")) : c.cwd);
  std::string_view sub = a.positional.empty() ? "install" : a.positional[0];
  if (sub == "i") sub = "install";
  if (sub == "install" || sub == "fetch") {
    p.tool = sub == "fetch" ? "pnpm fetch" : "pnpm install";
    if (!load_package(c, p, p.tool)) return 1;
    p.lock_node = find_lock(c, p.proj, {"pnpm-lock.yaml"}, p.lock_name);
    if (a.has("--frozen-lockfile") && !p.lock_node) {
      c.fail("pnpm install --frozen-lockfile: no pnpm-lock.yaml (ERR_PNPM_NO_LOCKFILE)");
      return 1;
    }
    p.omit_dev = a.has("--prod") || a.has("-P") || a.has("--production") || env_production(c);
    p.pnpm = true;
    if (auto v = a.value("--store-dir")) p.cache_dir = c.abs(*v);
    else if (const std::string* v = c.get("PNPM_STORE_DIR")) p.cache_dir = c.abs(*v);
    else {
      const std::string* home = c.get("HOME");
      p.cache_dir = clean_abs(".local/share/pnpm/store", home ? *home : c.user.home);
    }
    install_deps(c, p);
    if (c.on_cache_mount(p.cache_dir))
      c.note("pnpm store on a cache mount: packages are copied into node_modules (no hard links across mounts)");
    return 0;
  }
  if (sub == "add" || sub == "remove" || sub == "update") {
    if (!load_package(c, p, "pnpm " + std::string(sub))) return 1;
    c.output_unknown();
    c.recognise("pnpm " + std::string(sub), "changes dependencies (size change not modelled)");
    return 0;
  }
  if (sub == "store" || sub == "config" || sub == "list" || sub == "ls" || sub == "audit") {
    if (sub == "store" && a.positional.size() > 1 && a.positional[1] == "prune")
      c.recognise("pnpm store prune", "removes unreferenced packages from the store");
    else
      c.recognise("pnpm " + std::string(sub), "no change");
    return 0;
  }
  if (!load_package(c, p, "pnpm")) return 1;
  std::string name(sub == "run" ? (a.positional.size() > 1 ? a.positional[1] : std::string_view{}) : sub);
  if (p.pkg->script(name)) return run_package_script(c, p.proj, *p.pkg, name, "pnpm run", {});
  if (sub == "exec" || sub == "dlx") {
    std::vector<std::string> argv;
    for (size_t k = 1; k < a.positional.size(); ++k) argv.emplace_back(a.positional[k]);
    if (argv.empty()) return 0;
    ++c.npm_script;
    int s = c.run_argv(std::move(argv), inv.in, &inv.out);
    --c.npm_script;
    return s;
  }
  c.fail(fmt::format("pnpm {}: no such script or command", name));
  return 1;
}

int n_corepack(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  Args a = parse_args(inv, {"--install-directory"}, 1);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "enable") {
    for (const char* bin : {"yarn", "yarnpkg", "pnpm", "pnpx"}) {
      FileNode l = symlink_node(fmt::format("../lib/node_modules/corepack/dist/{}.js", bin), c.layer);
      c.fs.put(std::string("/usr/local/bin/") + bin, std::move(l));
    }
    c.recognise("corepack enable", "links yarn and pnpm shims into /usr/local/bin");
    return 0;
  }
  if (sub == "prepare" || sub == "install" || sub == "use") {
    std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
    std::string what = a.positional.size() > 1 ? std::string(a.positional[1]) : "package-manager";
    c.put_summary(clean_abs(".cache/node/corepack/" + what, home), mb(fig::npm_dep_default.value),
                  content_hash("corepack " + what), fmt::format("corepack download: {}", fig::npm_dep_default.source), true);
    c.output_unknown();
    c.time(3.0);
    c.recognise("corepack " + std::string(sub), fmt::format("downloads {}", what));
    return 0;
  }
  c.recognise("corepack", "no change");
  return 0;
}

}  // namespace

void register_node(Registry& r) {
  r.add("npm", n_npm);
  r.add("npx", n_npx);
  r.add("yarn", n_yarn);
  r.add("yarnpkg", n_yarn);
  r.add("pnpm", n_pnpm);
  r.add("corepack", n_corepack);
}

}  // namespace dfplay::sim::detail
