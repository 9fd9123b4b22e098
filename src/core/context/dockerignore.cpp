#include "context/dockerignore.h"

#include <fmt/format.h>

#include "context/path.h"
#include "pipeline_limits.h"

namespace dfplay::context {

const IgnoreRule* IgnoreFile::rule_of(int pattern_index) const {
  if (pattern_index < 0 || static_cast<size_t>(pattern_index) >= matcher.size()) return nullptr;
  size_t src = matcher.source_index(static_cast<size_t>(pattern_index));
  return src < rules.size() ? &rules[src] : nullptr;
}

IgnoreFile parse_dockerignore(std::string_view text, std::string path) {
  IgnoreFile f;
  f.path = std::move(path);
  constexpr size_t kMaxLine = 64 * 1024;  // bufio.Scanner's default token limit

  size_t offset = 0;
  uint32_t line_no = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") offset = 3;
  while (offset < text.size()) {
    size_t nl = text.find('\n', offset);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(offset, end - offset);
    const size_t line_off = offset;
    offset = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Range range{{line_no, 1, static_cast<uint32_t>(line_off)},
                {line_no, static_cast<uint32_t>(line.size() + 1), static_cast<uint32_t>(line_off + line.size())}};
    if (line.size() > kMaxLine) {
      f.diagnostics.error(range, "dockerignore/line-too-long",
                          fmt::format("line is longer than {} bytes; BuildKit cannot read this file (token too long)", kMaxLine));
      break;  // the scanner stops here
    }
    if (!line.empty() && line[0] == '#') continue;
    std::string_view p = trim_space(line);
    if (p.empty()) continue;
    if (f.rules.size() >= limits::kMaxIgnorePatterns) {
      f.diagnostics.error(range, "limits/dockerignore-patterns",
                          fmt::format("{} has more than {} patterns: the playground reads the first {}; line {} and the "
                                      "lines after it are left out",
                                      f.path, limits::kMaxIgnorePatterns, limits::kMaxIgnorePatterns, line_no));
      break;
    }
    if (p.size() > limits::kMaxIgnorePatternBytes) {
      f.diagnostics.error(range, "limits/dockerignore-pattern-length",
                          fmt::format("{} line {}: the pattern is {} bytes long: the playground reads patterns up to "
                                      "{} bytes; this one is left out",
                                      f.path, line_no, p.size(), limits::kMaxIgnorePatternBytes));
      continue;
    }
    bool invert = p[0] == '!';
    if (invert) p = trim_space(p.substr(1));
    std::string pattern;
    if (!p.empty()) {
      pattern = clean_path(p);
      if (pattern.size() > 1 && pattern[0] == '/') pattern.erase(0, 1);
    }
    if (invert) pattern = std::string("!") + pattern;
    IgnoreRule rule;
    rule.pattern = std::move(pattern);
    rule.line_text = std::string(line);
    rule.line = line_no;
    rule.range = range;
    f.rules.push_back(std::move(rule));
  }

  std::vector<std::string> patterns;
  patterns.reserve(f.rules.size());
  for (const auto& r : f.rules) patterns.push_back(r.pattern);
  std::vector<PatternMatcher::Error> errors;
  f.matcher = PatternMatcher::build(patterns, &errors);
  for (const auto& e : errors) {
    const IgnoreRule& r = f.rules[e.index];
    f.diagnostics.error(r.range, "dockerignore/invalid-pattern",
                        fmt::format("invalid pattern \"{}\": {}", r.line_text, e.message));
  }
  return f;
}

std::string select_dockerignore(const BuildContext& ctx, std::string_view dockerfile_path) {
  bool escaped = false;
  std::string df = context_relative(dockerfile_path, &escaped);
  if (!df.empty()) {
    std::string specific = df + ".dockerignore";
    uint32_t i = ctx.find(specific);
    if (i != BuildContext::npos && !ctx.is_dir(i)) return specific;
  }
  uint32_t i = ctx.find(".dockerignore");
  if (i != BuildContext::npos && !ctx.is_dir(i)) return ".dockerignore";
  return {};
}

IgnoreFile load_dockerignore(const BuildContext& ctx, std::string_view dockerfile_path) {
  std::string path = select_dockerignore(ctx, dockerfile_path);
  if (path.empty()) return IgnoreFile{};
  uint32_t i = ctx.resolve(path, true);
  if (i == BuildContext::npos || !ctx.is_file(i)) {
    IgnoreFile f;
    f.path = path;
    f.diagnostics.warning({}, "dockerignore/unreadable", fmt::format("{} is not a regular file; it is ignored", path));
    return f;
  }
  if (!ctx.has_content(i) && ctx.file_size(i) > 0) {
    IgnoreFile f;
    f.path = path;
    f.diagnostics.warning({}, "dockerignore/no-content",
                          fmt::format("the content of {} is unknown (size only); no patterns applied", path));
    return f;
  }
  IgnoreFile f = parse_dockerignore(ctx.content(i), path);
  limit_match_work(f, ctx);
  return f;
}

void limit_match_work(IgnoreFile& f, const BuildContext& ctx) {
  if (f.matcher.empty()) return;
  uint64_t entries = ctx.size(), path_bytes = 0;
  for (uint32_t e = 1; e < ctx.size(); ++e) path_bytes += ctx.path(e).size();
  uint64_t work = 0;
  for (size_t k = 0; k < f.matcher.size(); ++k) {
    const Pattern& p = f.matcher.pattern(k);
    uint64_t cost = entries + path_bytes * p.cost_per_byte();
    if (cost <= limits::kMaxIgnoreMatchWork - work) {
      work += cost;
      continue;
    }
    const IgnoreRule& r = f.rules[f.matcher.source_index(k)];
    f.diagnostics.error(r.range, "limits/dockerignore-work",
                        fmt::format("matching {} against the {} context entries would take more than {} steps "
                                    "from this pattern on (line {}): this pattern and the {} after it are left out",
                                    f.path, entries, limits::kMaxIgnoreMatchWork, r.line, f.matcher.size() - k - 1));
    f.matcher.truncate(k);
    return;
  }
}

}  // namespace dfplay::context
