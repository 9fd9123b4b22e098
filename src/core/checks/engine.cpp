#include "checks/engine.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

#include "checks/engine_internal.h"
#include "syntax/ast_json.h"
#include "syntax/ascii.h"

namespace dfplay::checks {

namespace detail {


// `word` appears in `text` delimited by non-word characters (or the ends).
bool contains_word(std::string_view text, std::string_view word) {
  auto is_w = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  };
  size_t pos = 0;
  while ((pos = text.find(word, pos)) != std::string_view::npos) {
    bool left = pos == 0 || !is_w(text[pos - 1]);
    size_t e = pos + word.size();
    bool right = e >= text.size() || !is_w(text[e]);
    if (left && right) return true;
    pos = e;
  }
  return false;
}

void Engine::prepare_node_configs() {
  node_configs.assign(df.nodes.size(), std::nullopt);
  for (size_t i = 0; i < df.nodes.size(); ++i)
    if (!df.nodes[i].comments.empty())
      if (auto extra = comment_check_config(df.nodes[i].comments))
        node_configs[i] = merge_check_config(config, *extra);
}

const CheckConfig& Engine::config_at(uint32_t line) const {
  // The last instruction starting at or before `line` (nodes are in source order).
  auto it = std::upper_bound(df.nodes.begin(), df.nodes.end(), line,
                             [](uint32_t l, const syntax::Node& n) { return l < n.start_line(); });
  if (it == df.nodes.begin()) return config;
  size_t i = static_cast<size_t>(std::distance(df.nodes.begin(), it)) - 1;
  if (i >= node_configs.size() || line > df.nodes[i].end_line() || !node_configs[i]) return config;
  return *node_configs[i];
}

void Engine::emit(RuleId id, Range range, std::string message, std::string_view stage) {
  if (!config_at(range.begin.line).runs(id)) return;
  const Rule& r = rule(id);
  Finding f;
  f.id = std::string(r.name);
  f.severity = Severity::Warning;
  f.message = std::move(message);
  f.range = range;
  f.stage = std::string(stage);
  f.why = std::string(r.description);
  f.url = r.url.empty() ? docs_page_url(id) : std::string(r.url);
  f.buildkit = true;
  out.push_back(std::move(f));
}

Finding* Engine::practice(std::string_view id, Severity sev, Range range, std::string message,
                          std::string_view stage, std::string why, std::string fix,
                          std::string url) {
  if (!options.best_practices) return nullptr;
  for (const auto& s : config_at(range.begin.line).skip)
    if (s == id) return nullptr;
  Finding f;
  f.id = std::string(id);
  f.severity = sev;
  f.message = std::move(message);
  f.range = range;
  f.stage = std::string(stage);
  f.why = std::move(why);
  f.fix = std::move(fix);
  f.url = std::move(url);
  f.buildkit = false;
  out.push_back(std::move(f));
  return &out.back();
}

std::string Engine::stage_label(size_t i) const {
  if (i >= graph.stages.size()) return {};
  const auto& n = graph.stages[i];
  if (!n.name.empty()) return n.name;
  return fmt::format("stage-{}", i);
}

const catalog::Image* Engine::catalog_image(std::string_view ref) const {
  if (ref.empty() || ref == "scratch") return nullptr;
  return cat.find(ref);
}

const ImageFacts* Engine::image_facts(std::string_view ref) const {
  auto it = facts_by_ref.find(std::string(ref));
  if (it == facts_by_ref.end()) {
    std::optional<ImageFacts> facts;
    if (in.image_facts) {
      facts = in.image_facts(ref);
    } else if (const catalog::Image* img = catalog_image(ref)) {
      ImageFacts f;
      f.platforms = img->platforms;
      f.env = img->config.env;
      f.has_env = true;
      f.user = img->config.user;
      facts = std::move(f);
    }
    it = facts_by_ref.emplace(std::string(ref), std::move(facts)).first;
  }
  return it->second ? &*it->second : nullptr;
}

}  // namespace detail

size_t CheckResult::buildkit_count() const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.buildkit; }));
}

std::string format_finding(const Finding& f, std::string_view file) {
  return fmt::format("{}:{}:{}: {}: {} ({})", file, f.range.begin.line, f.range.begin.column,
                     severity_name(f.severity), f.message, f.id);
}

using syntax::range_json;  // {"start", "end"}, as every JSON output writes a Range

nlohmann::json to_json(const Finding& f) {
  nlohmann::json j = {{"id", f.id},
                      {"severity", std::string(severity_name(f.severity))},
                      {"message", f.message},
                      {"line", f.range.begin.line},
                      {"column", f.range.begin.column},
                      {"range", range_json(f.range)},
                      {"stage", f.stage},
                      {"why", f.why},
                      {"fix", f.fix},
                      {"url", f.url},
                      {"buildkit", f.buildkit}};
  if (f.replacement)
    j["replacement"] = {{"range", range_json(f.replacement->range)}, {"text", f.replacement->text}};
  else
    j["replacement"] = nullptr;
  return j;
}

nlohmann::json to_json(const CheckResult& r, std::string_view file) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings) findings.push_back(to_json(f));
  const auto& c = r.config.config;
  std::string source = r.config.source == CheckConfigSource::Directive  ? "directive"
                       : r.config.source == CheckConfigSource::BuildArg ? "build-arg"
                                                                        : "default";
  return {{"file", std::string(file)},
          {"findings", findings},
          {"buildkit_warnings", r.buildkit_count()},
          {"build_error", r.build_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.build_error)},
          {"exit_status", r.exit_status},
          {"config",
           {{"source", source},
            {"skip_all", c.skip_all},
            {"skip", c.skip},
            {"experimental_all", c.experimental_all},
            {"experimental", c.experimental},
            {"error", c.error}}}};
}

// run_checks() in three parts (CheckJob): the configuration, BuildKit's checks, the best
// practices and the result. run_checks() is the three in a row.
struct CheckJob::Impl {
  explicit Impl(CheckInput in) : input(std::move(in)), e(input) {}
  CheckInput input;  // (before the engine, which refers to it)
  detail::Engine e;
  CheckResult result;
  std::vector<RuleId> violated;
  int part = 0;  // the next one; 3: done
};

CheckJob::CheckJob(CheckInput input) : impl_(std::make_unique<Impl>(std::move(input))) {}
CheckJob::~CheckJob() = default;
bool CheckJob::done() const { return impl_->part == 3; }

bool CheckJob::step() {
  Impl& j = *impl_;
  detail::Engine& e = j.e;
  CheckResult& result = j.result;
  switch (j.part) {
    case 0: {
      j.part = 3;  // unless the configuration lets the checks run
      // Configuration: the build arg replaces the directive (docs/checks.md 2.1).
      std::optional<std::string_view> directive;
      Range directive_range{};
      for (const auto& d : e.df.directives)
        if (d.name == "check") {
          directive = d.value;
          directive_range = d.range;
        }
      std::optional<std::string_view> build_arg;
      for (const auto& [k, v] : e.options.build_args)
        if (k == "BUILDKIT_DOCKERFILE_CHECK") build_arg = v;
      result.config = resolve_check_config(directive, directive_range, build_arg);
      if (result.config.diagnostic) {
        result.build_error = result.config.diagnostic->message;
        result.exit_status = 1;
        return true;
      }
      e.config = result.config.config;
      e.prepare_node_configs();

      // The .dockerignore the build read.
      const CheckInput& input = j.input;
      if (input.build && input.build->ignore && !input.build->ignore->path.empty()) e.ignore = input.build->ignore.get();
      if (input.build && input.build->sent && &input.build->sent->context() == e.context()) e.sent = input.build->sent.get();

      if (e.target_given() && e.graph.target == stages::npos) {
        // BuildKit fails before converting anything.
        result.build_error = fmt::format("target stage \"{}\" could not be found", e.options.target);
        result.exit_status = 1;
        return true;
      }
      j.part = 1;
      return false;
    }
    case 1:
      detail::run_buildkit_checks(e);
      for (const auto& f : e.out)
        if (f.buildkit)
          if (const Rule* r = find_rule(f.id))
            if (std::find(j.violated.begin(), j.violated.end(), r->id) == j.violated.end())
              j.violated.push_back(r->id);
      j.part = 2;
      return false;
    case 2:
      detail::run_best_practices(e);
      result.findings = std::move(e.out);
      std::stable_sort(result.findings.begin(), result.findings.end(),
                       [](const Finding& a, const Finding& b) {
                         if (a.range.begin.line != b.range.begin.line)
                           return a.range.begin.line < b.range.begin.line;
                         return a.range.begin.column < b.range.begin.column;
                       });
      result.build_error = e.build_error;
      if (result.build_error.empty() && e.config.error && !j.violated.empty())
        result.build_error = msg_lint_violation(j.violated);
      result.exit_status = check_call_exit_status(result.buildkit_count(), !result.build_error.empty());
      j.part = 3;
      return true;
    default:
      return true;
  }
}

CheckResult CheckJob::take() {
  while (!step()) {
  }
  return std::move(impl_->result);
}

CheckResult run_checks(const CheckInput& input) { return CheckJob(input).take(); }

}  // namespace dfplay::checks
