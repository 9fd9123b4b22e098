#include "stages/graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "pipeline_limits.h"
#include "shell/expand.h"
#include "syntax/ascii.h"

namespace dfplay::stages {
namespace {


shell::Env make_env(const Vars& vars) {
  shell::Env env;
  for (const auto& [k, v] : vars) env.set(k, v);
  return env;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string Platform::str() const {
  std::string s = os + "/" + arch;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

std::optional<Platform> Platform::parse(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    parts.push_back(syntax::ascii_lower(s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start)));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  for (const auto& p : parts) {
    if (p.empty()) return std::nullopt;
    for (char c : p)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return std::nullopt;
  }
  Platform out;
  static constexpr std::string_view known_os[] = {"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix", "android", "ios", "js", "wasip1", "plan9", "dragonfly"};
  auto is_os = [&](const std::string& p) { return std::find(std::begin(known_os), std::end(known_os), p) != std::end(known_os); };
  if (parts.size() == 1) {
    if (is_os(parts[0])) {
      out.os = parts[0];
      out.arch = "amd64";
    } else {
      out.arch = parts[0];
    }
  } else if (parts.size() == 2) {
    out.os = parts[0];
    out.arch = parts[1];
  } else if (parts.size() == 3) {
    out.os = parts[0];
    out.arch = parts[1];
    out.variant = parts[2];
  } else {
    return std::nullopt;
  }
  // containerd's normalisation of common aliases.
  if (out.arch == "x86_64" || out.arch == "x86-64") out.arch = "amd64";
  if (out.arch == "aarch64") {
    out.arch = "arm64";
    if (out.variant.empty()) out.variant = "";
  }
  if (out.arch == "arm64" && out.variant == "v8") out.variant = "";
  if (out.arch == "armhf") { out.arch = "arm"; out.variant = "v7"; }
  if (out.arch == "armel") { out.arch = "arm"; out.variant = "v6"; }
  if (out.arch == "arm" && out.variant.empty()) out.variant = "v7";
  return out;
}

Platform target_platform(const BuildOptions& o) { return Platform::parse(o.platform).value_or(Platform{}); }
Platform build_platform(const BuildOptions& o) { return Platform::parse(o.build_platform).value_or(Platform{}); }

Vars platform_args(const BuildOptions& options) {
  const Platform t = target_platform(options), b = build_platform(options);
  return {{"TARGETPLATFORM", t.str()}, {"TARGETOS", t.os}, {"TARGETARCH", t.arch}, {"TARGETVARIANT", t.variant},
          {"BUILDPLATFORM", b.str()}, {"BUILDOS", b.os}, {"BUILDARCH", b.arch}, {"BUILDVARIANT", b.variant}};
}

bool is_predefined_arg(std::string_view name) {
  static constexpr std::string_view names[] = {
      "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
      "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names) || is_proxy_arg(name);
}

bool is_proxy_arg(std::string_view name) {
  static constexpr std::string_view names[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                               "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
                                               "ALL_PROXY", "all_proxy"};
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

Vars Graph::meta_vars() const {
  Vars v;
  for (const auto& m : meta_args)
    if (m.value) v.emplace_back(m.name, *m.value);
  return v;
}

const StageNode* Graph::find(std::string_view name_or_index) const {
  // Stage names are stored lower-cased (a short name is lowered on the stack, no allocation).
  char buf[64];
  std::string heap;
  std::string_view l;
  if (name_or_index.size() <= sizeof buf) {
    for (size_t i = 0; i < name_or_index.size(); ++i)
      buf[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name_or_index[i])));
    l = std::string_view(buf, name_or_index.size());
  } else {
    heap = syntax::ascii_lower(name_or_index);
    l = heap;
  }
  if (!by_name.empty()) {
    auto name_of = [&](uint32_t i) { return i < stages.size() ? std::string_view(stages[i].name) : std::string_view(); };
    auto it = std::lower_bound(by_name.begin(), by_name.end(), l,
                               [&](uint32_t i, std::string_view key) { return name_of(i) < key; });
    if (it != by_name.end() && name_of(*it) == l) return &stages[*it];
  } else {
    for (const auto& s : stages)
      if (!s.name.empty() && s.name == l) return &s;
  }
  if (all_digits(name_or_index)) {
    size_t idx = 0;
    std::from_chars(name_or_index.data(), name_or_index.data() + name_or_index.size(), idx);
    if (idx < stages.size()) return &stages[idx];
  }
  return nullptr;
}

namespace {

// The last --build-arg named `name` (nullptr when none).
const std::string* build_arg(const BuildOptions& options, std::string_view name) {
  for (auto it = options.build_args.rbegin(); it != options.build_args.rend(); ++it)
    if (it->first == name) return &it->second;
  return nullptr;
}

// The global ARGs (before the first FROM), each default expanded with what is defined so far;
// a --build-arg overrides the default. `meta_env` holds the scope as it grows.
void add_meta_args(Graph& g, const ins::Program& program, const BuildOptions& options, shell::Env& meta_env,
                   const shell::Options& opt) {
  for (const auto& ins : program.meta_args) {
    const auto& arg = std::get<ins::Arg>(ins.command);
    for (size_t i = 0; i < arg.pairs.size(); ++i) {
      const auto& kv = arg.pairs[i];
      MetaArg m;
      m.name = kv.key.text;
      m.instruction = &ins;
      m.pair = i;
      if (kv.has_value) {
        auto e = shell::expand_word(kv.value.text, meta_env, opt);
        m.value = e.ok ? e.word : kv.value.text;
      }
      if (auto* b = build_arg(options, m.name)) {
        m.value = *b;
        m.overridden = true;
      }
      if (m.value) meta_env.set(m.name, *m.value);
      g.meta_args.push_back(std::move(m));
    }
  }
}

// One node per stage: its name, its base expanded with the global scope (an earlier stage's
// name makes the base that stage), its platform. `by_name` maps names to the latest stage.
void add_stages(Graph& g, const ins::Program& program, const shell::Env& meta_env, const shell::Options& opt,
                std::unordered_map<std::string, size_t>& by_name) {
  g.stages.reserve(program.stages.size());
  for (const auto& st : program.stages) {
    StageNode n;
    n.index = st.index;
    n.stage = &st;
    const ins::From& from = st.base();
    n.name = from.stage_name;
    n.label = n.name.empty() ? fmt::format("stage-{}", st.index) : n.name;
    auto e = shell::expand_word(from.image.text, meta_env, opt);
    if (!e.ok) {
      g.diagnostics.error(from.image.range, "stage/from-expansion", e.error);
      n.base_ref = from.image.text;
    } else {
      n.base_ref = e.word;
      n.from_undefined = e.undefined;
    }
    if (e.ok && n.base_ref.empty())
      g.diagnostics.error(from.image.range, "stage/blank-base",
                          fmt::format("base name ({}) should not be blank", from.image.text));
    if (from.platform) {
      auto p = shell::expand_word(from.platform->text, meta_env, opt);
      n.platform = p.ok ? p.word : from.platform->text;
      if (!p.ok)
        g.diagnostics.error(from.platform->range, "stage/platform",
                            fmt::format("failed to process arguments for platform {}: {}", from.platform->text, p.error));
      else if (!n.platform.empty() && !Platform::parse(n.platform))
        g.diagnostics.error(from.platform->range, "stage/platform",
                            fmt::format("failed to parse platform {}", n.platform));
    }
    // A FROM name refers to an earlier stage (BuildKit resolves bases in order).
    std::string base_lower = syntax::ascii_lower(n.base_ref);
    n.base_kind = base_lower == "scratch" ? BaseKind::Scratch : BaseKind::Image;
    if (auto it = by_name.find(base_lower); it != by_name.end()) {
      n.base_kind = BaseKind::Stage;
      n.base_stage = it->second;
      n.deps.push_back({n.base_stage, DepKind::Base, nullptr, from.image.range});
    }
    if (!n.name.empty()) by_name[n.name] = n.index;  // BuildKit: a later stage of the same name wins
    g.stages.push_back(std::move(n));
  }
  if (g.stages.size() == 1) g.stages[0].label.clear();
  for (size_t i = 0; i < g.stages.size(); ++i)
    if (!g.stages[i].name.empty()) g.by_name.push_back(static_cast<uint32_t>(i));
  std::stable_sort(g.by_name.begin(), g.by_name.end(),
                   [&](uint32_t a, uint32_t b) { return g.stages[a].name < g.stages[b].name; });
}

// A COPY --from / RUN --mount=from reference of stage `n`: a stage index, an earlier stage's
// name, or else an image (a reference with a variable is an error, as in BuildKit).
void resolve_dependency(Graph& g, const std::unordered_map<std::string, size_t>& by_name, StageNode& n,
                        const std::string& ref, DepKind kind, const ins::Instruction* ins, Range range) {
  auto add_dep = [&](size_t s) {
    for (const auto& d : n.deps)
      if (d.stage == s && d.kind == kind && d.instruction == ins) return;
    n.deps.push_back({s, kind, ins, range});
  };
  if (all_digits(ref)) {
    size_t idx = 0;
    auto [p, ec] = std::from_chars(ref.data(), ref.data() + ref.size(), idx);
    if (ec != std::errc() || idx >= g.stages.size()) {
      g.diagnostics.error(range, "stage/index", fmt::format("invalid stage index {}: the Dockerfile has {} stage{}", ref, g.stages.size(), g.stages.size() == 1 ? "" : "s"));
      return;
    }
    add_dep(idx);
    return;
  }
  if (auto it = by_name.find(syntax::ascii_lower(ref)); it != by_name.end()) {
    add_dep(it->second);
    return;
  }
  if (ref.find('$') != std::string::npos) {
    g.diagnostics.error(range, "stage/from-variable",
                        fmt::format("'from' doesn't support variable expansion, define alias stage instead ({})", ref));
    return;
  }
  n.images.push_back({ref, kind, ins, range});
}

// Dependencies through COPY --from and RUN --mount=from=.
void add_dependencies(Graph& g, const std::unordered_map<std::string, size_t>& by_name) {
  for (auto& n : g.stages) {
    for (const auto& ins : n.stage->commands) {
      if (auto* c = ins.as<ins::Copy>(); c && c->from) resolve_dependency(g, by_name, n, c->from->text, DepKind::CopyFrom, &ins, c->from->range);
      if (auto* r = ins.as<ins::Run>())
        for (const auto& m : r->mounts)
          if (!m.from.empty()) resolve_dependency(g, by_name, n, m.from, DepKind::MountFrom, &ins, m.range);
    }
  }
}

// Cycles (iterative DFS over all dependency edges): the first edge closing one is reported.
void report_cycles(Graph& g) {
  std::vector<int> color(g.stages.size(), 0);  // 0 new, 1 on path, 2 done
  for (size_t s = 0; s < g.stages.size(); ++s) {
    if (color[s]) continue;
    std::vector<std::pair<size_t, size_t>> stack{{s, 0}};
    color[s] = 1;
    bool reported = false;
    while (!stack.empty() && !reported) {
      auto& [cur, next] = stack.back();
      if (next < g.stages[cur].deps.size()) {
        const Dependency& d = g.stages[cur].deps[next++];
        if (color[d.stage] == 1) {
          g.diagnostics.error(d.range, "stage/cycle",
                              fmt::format("circular dependency detected on stage: {}", g.stages[d.stage].label.empty() ? "stage-0" : g.stages[d.stage].label));
          reported = true;
        } else if (color[d.stage] == 0) {
          color[d.stage] = 1;
          stack.emplace_back(d.stage, 0);
        }
      } else {
        color[cur] = 2;
        stack.pop_back();
      }
    }
    if (reported) {
      for (auto& c : color)
        if (c == 1) c = 2;
    }
  }
}

// The target: the named stage, else the last one. False (with a diagnostic) when not found.
bool select_target(Graph& g, const BuildOptions& options) {
  if (options.target.empty()) {
    g.target = g.stages.size() - 1;
    return true;
  }
  std::string t = syntax::ascii_lower(options.target);
  for (const auto& n : g.stages)
    if (n.name == t) g.target = n.index;
  if (g.target == npos) {
    g.diagnostics.error(Range{}, "stage/target", fmt::format("target stage \"{}\" could not be found", options.target));
    return false;
  }
  return true;
}

// Reachability from the target: the stages that are built.
void mark_reachable(Graph& g) {
  std::vector<size_t> work{g.target};
  g.stages[g.target].built = true;
  while (!work.empty()) {
    size_t s = work.back();
    work.pop_back();
    for (const auto& d : g.stages[s].deps)
      if (!g.stages[d.stage].built) {
        g.stages[d.stage].built = true;
        work.push_back(d.stage);
      }
  }
}

// Parallel levels: a stage runs after all stages it depends on. Stages are processed in an
// order where dependencies come first (Kahn's algorithm); stages in a cycle get no level.
void assign_levels(Graph& g) {
  size_t n = g.stages.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> users(n);
  for (const auto& s : g.stages) {
    if (!s.built) continue;
    std::vector<size_t> seen;
    for (const auto& d : s.deps) {
      if (std::find(seen.begin(), seen.end(), d.stage) != seen.end()) continue;
      seen.push_back(d.stage);
      ++pending[s.index];
      users[d.stage].push_back(s.index);
    }
  }
  std::vector<size_t> ready;
  for (const auto& s : g.stages)
    if (s.built && pending[s.index] == 0) {
      g.stages[s.index].level = 0;
      ready.push_back(s.index);
    }
  for (size_t i = 0; i < ready.size(); ++i) {
    size_t s = ready[i];
    for (size_t u : users[s]) {
      g.stages[u].level = std::max(g.stages[u].level, g.stages[s].level + 1);
      if (--pending[u] == 0) ready.push_back(u);
    }
  }
  for (const auto& s : g.stages) {
    if (!s.built || s.level < 0) continue;
    if (g.levels.size() <= static_cast<size_t>(s.level)) g.levels.resize(s.level + 1);
    g.levels[s.level].push_back(s.index);
  }
}

}  // namespace

Graph build_graph(const ins::Program& program, const BuildOptions& options, char escape) {
  Graph g;
  // Global scope: the platform ARGs (overridable by --build-arg), then ARGs before the first
  // FROM. One environment kept up to date (rebuilding it for every ARG would be quadratic), and
  // one expansion budget for the global scope and the FROM lines (pipeline_limits.h).
  Vars scope = platform_args(options);
  for (auto& [k, v] : scope)
    if (auto* b = build_arg(options, k)) v = *b;
  shell::Env meta_env = make_env(scope);
  uint64_t budget = limits::kMaxExpansionBytes;
  shell::Options opt;
  opt.escape = escape;
  opt.shared_budget = &budget;
  add_meta_args(g, program, options, meta_env, opt);
  std::unordered_map<std::string, size_t> by_name;
  add_stages(g, program, meta_env, opt, by_name);
  add_dependencies(g, by_name);
  report_cycles(g);
  if (g.stages.empty() || !select_target(g, options)) return g;
  mark_reachable(g);
  assign_levels(g);
  return g;
}

}  // namespace dfplay::stages
