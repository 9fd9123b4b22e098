// Python: pip / pip3 / python -m pip install (requirements files, packages, --user, --target,
// --prefix, venvs, the pip cache), python -m venv / virtualenv.
#include <algorithm>

#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

std::string python_xy(const Ctx& c) {
  if (const std::string* v = c.get("PYTHON_VERSION"); v && !v->empty()) {
    size_t dot = v->find('.');
    size_t dot2 = dot == std::string::npos ? dot : v->find('.', dot + 1);
    return dot2 == std::string::npos ? *v : v->substr(0, dot2);
  }
  if (c.in.os_family == "ubuntu") return "3.10";
  if (c.in.os_family == "alpine") return "3.12";
  return "3.11";
}

double package_size(std::string_view name, std::string* source) {
  if (name == "flask") {
    *source = fig::pip_flask.source;
    return fig::pip_flask.value;
  }
  if (name == "requests") {
    *source = fig::pip_requests.source;
    return fig::pip_requests.value;
  }
  if (name == "numpy") {
    *source = fig::pip_numpy.source;
    return fig::pip_numpy.value;
  }
  *source = fig::pip_default.source;
  return fig::pip_default.value;
}

// A venv is a directory with pyvenv.cfg.
bool is_venv(const Ctx& c, std::string_view dir) { return c.fs.exists(clean_abs("pyvenv.cfg", dir)); }

// Where `pip` installs: a venv (from the pip path, VIRTUAL_ENV or PATH), or the system.
std::string venv_of(const Ctx& c, std::string_view argv0) {
  if (argv0.find('/') != std::string_view::npos) {
    std::string p = c.abs(argv0);
    std::string dir(parent_path(parent_path(p)));
    if (is_venv(c, dir)) return dir;
  }
  if (const std::string* v = c.get("VIRTUAL_ENV"); v && !v->empty() && is_venv(c, c.abs(*v))) return c.abs(*v);
  if (const std::string* path = c.get("PATH")) {
    size_t pos = 0;
    while (pos <= path->size()) {
      size_t colon = path->find(':', pos);
      if (colon == std::string::npos) colon = path->size();
      std::string_view entry(path->data() + pos, colon - pos);
      pos = colon + 1;
      if (entry.empty()) continue;
      std::string dir = clean_abs(entry);
      if (base_name(dir) == "bin" && is_venv(c, parent_path(dir))) return std::string(parent_path(dir));
      if (c.fs.exists(dir + "/pip") || c.fs.exists(dir + "/python")) break;  // a system pip comes first
    }
  }
  return {};
}

void read_requirements(Ctx& c, const std::string& file, std::vector<std::string>& names, bool& editable, int depth,
                       bool& missing) {
  const FileNode* f = c.fs.find(file);
  if (!f) {
    c.fail(fmt::format("pip: could not open requirements file: {}", file));
    missing = true;
    return;
  }
  c.key(hash_combine(f->hash, file));
  if (!f->content) {
    c.note(fmt::format("pip: {} content unknown: package count unknown", file));
    return;
  }
  auto req = parse_requirements(*f);
  for (const auto& n : req->names) names.push_back(n);
  editable = editable || req->has_editable;
  if (depth < 4)
    for (const auto& nested : req->nested)
      read_requirements(c, clean_abs(nested, std::string(parent_path(file))), names, editable, depth + 1, missing);
}

int p_pip(Ctx& c, Inv& inv, size_t first, std::string_view tool_name) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-r", "--requirement", "-c", "--constraint", "-t", "--target", "--prefix", "--root",
                            "-i", "--index-url", "--extra-index-url", "--cache-dir", "-f", "--find-links",
                            "--trusted-host", "--platform", "--python-version", "--only-binary", "--no-binary",
                            "--progress-bar", "--timeout", "--retries", "-e", "--editable"},
                      first);
  std::string_view sub = a.positional.empty() ? "" : a.positional[0];
  if (sub == "--version" || a.has("--version") || a.has("-V")) {
    c.recognise("pip --version", "prints the version");
    return 0;
  }
  if (sub == "cache") {
    if (a.positional.size() > 1 && (a.positional[1] == "purge" || a.positional[1] == "remove")) {
      std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
      uint64_t bytes = c.remove(clean_abs(".cache/pip", home));
      c.recognise("pip cache purge", fmt::format("removes the pip cache ({})", human_size(bytes)));
    }
    return 0;
  }
  if (sub == "freeze" || sub == "list" || sub == "show" || sub == "check" || sub == "config" || sub == "debug") {
    c.recognise("pip " + std::string(sub), "no change");
    return 0;
  }
  if (sub == "uninstall") {
    c.recognise("pip uninstall", "removes packages (not modelled)");
    return 0;
  }
  if (sub == "wheel" || sub == "download") {
    std::string dir = c.abs(a.value("-w", "--wheel-dir").value_or(a.value("-d", "--dest").value_or(".")));
    c.put_summary(dir, mb(fig::pip_default.value * fig::pip_cache_ratio.value * static_cast<double>(a.positional.size())),
                  content_hash(fmt::format("{}", fmt::join(inv.argv, " "))), fig::pip_cache_ratio.source, true);
    c.output_unknown();
    c.recognise("pip " + std::string(sub), "downloads wheels");
    return 0;
  }
  if (sub != "install") {
    c.unknown(std::string(tool_name) + " " + std::string(sub));
    return 0;
  }
  // What is installed.
  std::vector<std::string> names;
  bool editable = false, missing = false;
  for (const auto& [n, v] : a.options)
    if (n == "-r" || n == "--requirement") read_requirements(c, c.abs(v), names, editable, 0, missing);
  if (missing) return 1;
  bool pinned = true;
  bool local_project = false;
  for (size_t k = 1; k < a.positional.size(); ++k) {
    std::string_view spec = a.positional[k];
    if (spec == "." || spec.rfind("./", 0) == 0 || spec.rfind("/", 0) == 0) {
      local_project = true;
      names.emplace_back(spec);
      continue;
    }
    if (spec.find("==") == std::string_view::npos) pinned = false;
    std::string name(spec.substr(0, spec.find_first_of("<>=!~;[ @")));
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    names.push_back(std::move(name));
  }
  if (a.value("-e", "--editable")) {
    local_project = true;
    names.emplace_back(".");
  }
  for (const auto& [n, v] : a.options)
    if ((n == "-r" || n == "--requirement")) {
      const FileNode* f = c.fs.find(c.abs(v));
      if (f && f->content && f->content->find("==") == std::string::npos) pinned = false;
    }
  if (names.empty()) {
    c.fail("pip install: you must give at least one requirement to install");
    return 1;
  }
  bool upgrade_pip = names.size() == 1 && (names[0] == "pip" || names[0] == "setuptools" || names[0] == "wheel");
  // Where.
  std::string xy = python_xy(c);
  std::string venv = venv_of(c, inv.argv[0]);
  std::string site;
  if (auto t = a.value("-t", "--target")) site = c.abs(*t);
  else if (auto p = a.value("--prefix")) site = clean_abs(fmt::format("lib/python{}/site-packages", xy), c.abs(*p));
  else if (!venv.empty()) site = fmt::format("{}/lib/python{}/site-packages", venv, xy);
  else if (a.has("--user")) {
    std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
    site = fmt::format("{}/.local/lib/python{}/site-packages", home, xy);
  } else {
    bool official = c.get("PYTHON_VERSION") != nullptr;
    site = official || c.in.os_family == "alpine" ? fmt::format("/usr/local/lib/python{}/site-packages", xy)
                                                  : fmt::format("/usr/local/lib/python{}/dist-packages", xy);
    // Debian 12 / Ubuntu 23.04+ system Python refuses pip installs (PEP 668).
    if (!official && (c.in.os_family == "debian" || c.in.os_family == "ubuntu") && !a.has("--break-system-packages")) {
      const std::string* brk = c.get("PIP_BREAK_SYSTEM_PACKAGES");
      if (!brk || *brk == "0") {
        c.fail("pip install: error: externally-managed-environment (Debian's Python, PEP 668): use a venv, "
               "--break-system-packages, or a python image");
        return 1;
      }
    }
    if (!c.is_root()) {
      c.note("pip install as a non-root user without a venv falls back to --user (~/.local)");
      std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
      site = fmt::format("{}/.local/lib/python{}/site-packages", home, xy);
    }
  }
  uint64_t key = content_hash("pip install");
  key = hash_combine(key, site);
  for (const auto& n : names) key = hash_combine(key, n);
  if (local_project) {
    std::string proj = c.cwd;
    key = hash_combine(key, c.tree_hash(proj, [](const std::string& p, const FileNode&) {
      return p.find("/.git") == std::string::npos && p.find("/__pycache__") == std::string::npos;
    }));
  }
  if (!pinned || local_project) c.output_unknown();
  c.key(key);
  double total = 0;
  std::vector<std::string> sources;
  for (const auto& n : names) {
    std::string src;
    double size = upgrade_pip ? fig::python_venv.value * 0.8 : package_size(n, &src);
    if (upgrade_pip) src = "dfplay estimate: pip itself ~10 MB installed";
    total += size;
    if (std::find(sources.begin(), sources.end(), src) == sources.end()) sources.push_back(src);
    std::string dir_name = n == "." || n.find('/') != std::string::npos ? std::string("local-project") : n;
    std::string path = clean_abs(dir_name, site);
    c.put_summary(path, mb(size), hash_combine(key, n), fmt::format("pip install {}: {}", n, src), true);
  }
  // The cache.
  bool no_cache = a.has("--no-cache-dir");
  if (const std::string* v = c.get("PIP_NO_CACHE_DIR"); v && *v != "0" && *v != "false" && *v != "off" && !v->empty())
    no_cache = true;
  std::string cache_dir;
  if (auto v = a.value("--cache-dir")) cache_dir = c.abs(*v);
  else if (const std::string* v = c.get("PIP_CACHE_DIR")) cache_dir = c.abs(*v);
  else {
    std::string home = c.get("HOME") ? *c.get("HOME") : c.user.home;
    cache_dir = clean_abs(".cache/pip", home);
  }
  bool mounted = c.on_cache_mount(cache_dir);
  if (!no_cache) {
    const FileNode* old = c.fs.find(cache_dir);
    uint64_t bytes = mb(total * fig::pip_cache_ratio.value);
    if (old && old->summary) bytes += old->size;
    c.put_summary(cache_dir, bytes, hash_combine(key, "pip cache"), fmt::format("pip cache: {}", fig::pip_cache_ratio.source),
                  true);
    if (!mounted)
      c.note(fmt::format("pip keeps downloaded wheels in {}: add --no-cache-dir or a cache mount", cache_dir));
  }
  double mbytes = total / 1e6;
  double cold = fig::pip_fixed_s.value + fig::pip_s_per_mb_cold.value * mbytes;
  double warm = mounted && !no_cache ? fig::pip_fixed_s.value + fig::pip_s_per_mb_warm.value * mbytes : cold;
  c.time(cold, warm);
  std::string src;
  for (const auto& s : sources) src += (src.empty() ? "" : "; ") + s;
  c.recognise(std::string(tool_name) + " install",
              fmt::format("{} package(s) -> {} ({} estimated){}", names.size(), site, human_size(mb(total)),
                          no_cache ? ", --no-cache-dir" : mounted ? ", cache on a cache mount" : ""),
              src);
  if (editable) c.note("pip install -e: an editable install links to the sources");
  return 0;
}

int p_pip_cmd(Ctx& c, Inv& inv) { return p_pip(c, inv, 1, inv.name); }

int p_venv(Ctx& c, const std::string& dir, std::string_view tool) {
  std::string xy = python_xy(c);
  uint64_t key = hash_combine(content_hash("venv"), dir + xy);
  c.key(key);
  c.put_summary(dir, mb(fig::python_venv.value), key, fmt::format("{}: {}", tool, fig::python_venv.source), true);
  c.write_text(dir + "/pyvenv.cfg", fmt::format("home = /usr/local/bin\ninclude-system-site-packages = false\nversion = {}\n", xy));
  for (const char* b : {"python", "python3"}) {
    FileNode l = symlink_node("/usr/local/bin/python3", c.layer);
    c.fs.put(dir + "/bin/" + b, std::move(l));
  }
  for (const char* b : {"pip", "pip3"}) {
    FileNode f = file_node(fmt::format("#!{}/bin/python\n# pip entry point\n", dir), c.layer, 0755);
    c.fs.put(dir + "/bin/" + b, std::move(f));
  }
  c.mkdir(fmt::format("{}/lib/python{}/site-packages", dir, xy));
  c.time(3.0);
  c.recognise(std::string(tool), fmt::format("creates a virtual environment in {} ({} estimated)", dir,
                                             human_size(mb(fig::python_venv.value))),
              fig::python_venv.source);
  return 0;
}

int p_python(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  size_t k = 1;
  while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-' && inv.argv[k] != "-m" &&
         inv.argv[k] != "-c") {
    if (inv.argv[k] == "--version" || inv.argv[k] == "-V") {
      c.recognise("python --version", "prints the version");
      return 0;
    }
    ++k;
  }
  if (k < inv.argv.size() && inv.argv[k] == "-m" && k + 1 < inv.argv.size()) {
    std::string_view mod = inv.argv[k + 1];
    if (mod == "pip") return p_pip(c, inv, k + 2, "python -m pip");
    if (mod == "venv" || mod == "virtualenv") {
      Args a = parse_args(inv, {"--prompt"}, k + 2);
      if (a.positional.empty()) return 2;
      return p_venv(c, c.abs(a.positional.back()), "python -m venv");
    }
    if (mod == "compileall" || mod == "py_compile") {
      c.recognise("python -m compileall", "writes .pyc files (small, not modelled)");
      return 0;
    }
    if (mod == "ensurepip") {
      c.recognise("python -m ensurepip", "installs pip (not modelled)");
      return 0;
    }
    c.unknown("python -m " + std::string(mod), "runs a module whose effect is not modelled");
    return 0;
  }
  if (k < inv.argv.size() && inv.argv[k] == "-c") {
    c.unknown("python -c", "runs inline code whose effect is not modelled");
    return 0;
  }
  if (k >= inv.argv.size()) return 0;
  std::string script = c.abs(inv.argv[k]);
  if (!c.fs.exists(script) && !c.maybe_exists(script)) {
    c.fail(fmt::format("python: can't open file '{}': no such file or directory", inv.argv[k]));
    return 2;
  }
  c.unknown(fmt::format("{} {}", inv.argv[0], inv.argv[k]), "runs a script whose effect is not modelled");
  return 0;
}

int p_virtualenv(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-p", "--python", "--prompt"}, 1);
  if (a.positional.empty()) return 2;
  return p_venv(c, c.abs(a.positional.back()), "virtualenv");
}

}  // namespace

void register_python(Registry& r) {
  for (auto n : {"pip", "pip3", "pip3.8", "pip3.9", "pip3.10", "pip3.11", "pip3.12", "pip3.13"}) r.add(n, p_pip_cmd);
  for (auto n : {"python", "python3", "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13"})
    r.add(n, p_python);
  r.add("virtualenv", p_virtualenv);
}

}  // namespace dfplay::sim::detail
