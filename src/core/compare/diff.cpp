#include "compare/diff.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>

namespace dfplay::compare {
namespace {

std::string first_line(std::string_view s) { return std::string(s.substr(0, s.find('\n'))); }

std::string list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + std::string("\"") + v[i] + "\"";
  return out + "]";
}

std::string octal(uint32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", m);
  return buf;
}

void config_field(std::vector<ConfigChange>& out, std::string field, const std::string& a, bool a_set,
                  const std::string& b, bool b_set) {
  if (a_set == b_set && a == b) return;
  out.push_back(ConfigChange{std::move(field), a, b, a_set, b_set});
}

std::vector<ConfigChange> config_changes(const stages::StageConfig& a, const stages::StageConfig& b) {
  std::vector<ConfigChange> out;
  config_field(out, "user", a.user.empty() ? "root" : a.user, true, b.user.empty() ? "root" : b.user, true);
  config_field(out, "workdir", a.workdir.empty() ? "/" : a.workdir, true, b.workdir.empty() ? "/" : b.workdir, true);
  config_field(out, "exposed_ports", list(a.exposed_ports), !a.exposed_ports.empty(), list(b.exposed_ports),
               !b.exposed_ports.empty());
  config_field(out, "entrypoint", list(a.entrypoint), !a.entrypoint.empty(), list(b.entrypoint), !b.entrypoint.empty());
  config_field(out, "cmd", list(a.cmd), !a.cmd.empty(), list(b.cmd), !b.cmd.empty());
  // env: per variable, in A's order then B's new ones.
  auto find = [](const stages::Vars& v, const std::string& k) -> const std::string* {
    for (auto it = v.rbegin(); it != v.rend(); ++it)
      if (it->first == k) return &it->second;
    return nullptr;
  };
  std::vector<std::string> names;
  for (const auto& [k, v] : a.env)
    if (std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
  for (const auto& [k, v] : b.env)
    if (std::find(names.begin(), names.end(), k) == names.end()) names.push_back(k);
  for (const auto& k : names) {
    const std::string* x = find(a.env, k);
    const std::string* y = find(b.env, k);
    config_field(out, "env." + k, x ? *x : "", x != nullptr, y ? *y : "", y != nullptr);
  }
  config_field(out, "volumes", list(a.volumes), !a.volumes.empty(), list(b.volumes), !b.volumes.empty());
  config_field(out, "stop_signal", a.stop_signal, !a.stop_signal.empty(), b.stop_signal, !b.stop_signal.empty());
  auto hc = [](const stages::StageConfig& c) { return c.healthcheck ? list(c.healthcheck->test) : std::string(); };
  config_field(out, "healthcheck", hc(a), a.healthcheck.has_value(), hc(b), b.healthcheck.has_value());
  std::map<std::string, int> labels;
  for (const auto& [k, v] : a.labels) labels[k] |= 1;
  for (const auto& [k, v] : b.labels) labels[k] |= 2;
  for (const auto& [k, m] : labels) {
    auto x = a.labels.find(k);
    auto y = b.labels.find(k);
    config_field(out, "labels." + k, x != a.labels.end() ? x->second : "", (m & 1) != 0,
                 y != b.labels.end() ? y->second : "", (m & 2) != 0);
  }
  return out;
}

// Findings matched by rule: first with the same message, then in the same stage, then any left
// (messages name images and lines that an edit changes; the finding is still the same one).
void match_findings(const checks::CheckResult& a, const checks::CheckResult& b, Diff& d) {
  std::vector<bool> used_a(a.findings.size(), false), used_b(b.findings.size(), false);
  auto pass = [&](auto same) {
    for (size_t i = 0; i < a.findings.size(); ++i) {
      if (used_a[i]) continue;
      for (size_t j = 0; j < b.findings.size(); ++j) {
        if (used_b[j] || a.findings[i].id != b.findings[j].id || !same(a.findings[i], b.findings[j])) continue;
        used_a[i] = used_b[j] = true;
        break;
      }
    }
  };
  if (a.findings.size() * b.findings.size() <= 4000000) {
    pass([](const checks::Finding& x, const checks::Finding& y) { return x.message == y.message; });
    pass([](const checks::Finding& x, const checks::Finding& y) { return x.stage == y.stage; });
    pass([](const checks::Finding&, const checks::Finding&) { return true; });
  }
  auto ref = [](const checks::Finding& f) {
    return FindingRef{f.id, f.message, std::string(severity_name(f.severity)), f.line()};
  };
  for (size_t i = 0; i < a.findings.size(); ++i)
    if (!used_a[i]) d.fixed.push_back(ref(a.findings[i]));
  for (size_t j = 0; j < b.findings.size(); ++j)
    if (!used_b[j]) d.introduced.push_back(ref(b.findings[j]));
}

void file_diff(const sim::BuildResult& a, const sim::BuildResult& b, Diff& d) {
  auto counts = [](const sim::ImageFile& f) { return f.type != sim::NodeType::Dir || f.summary; };
  std::unordered_map<std::string_view, const sim::ImageFile*> in_a;
  in_a.reserve(a.files.size());
  for (const auto& f : a.files)
    if (counts(f)) in_a.emplace(f.path, &f);
  std::unordered_map<std::string_view, bool> seen;
  for (const auto& f : b.files) {
    if (!counts(f)) continue;
    auto it = in_a.find(f.path);
    if (it == in_a.end()) {
      FileChange c{f.path, Change::Added, 0, f.size, f.summary, f.estimated, {}};
      if (f.type == sim::NodeType::Symlink) c.what = "symlink";
      d.files.push_back(std::move(c));
      continue;
    }
    const sim::ImageFile& x = *it->second;
    seen.emplace(x.path, true);
    std::string what;
    if (x.type != f.type) what = "type changed";
    else if (x.link != f.link) what = "link " + x.link + " -> " + f.link;
    if (x.mode != f.mode) what += (what.empty() ? "" : ", ") + std::string("mode ") + octal(x.mode) + " -> " + octal(f.mode);
    if (x.uid != f.uid || x.gid != f.gid)
      what += (what.empty() ? "" : ", ") + std::string("owner ") + std::to_string(x.uid) + ":" + std::to_string(x.gid) +
              " -> " + std::to_string(f.uid) + ":" + std::to_string(f.gid);
    if (x.size != f.size || !what.empty())
      d.files.push_back(FileChange{f.path, Change::Changed, x.size, f.size, f.summary || x.summary,
                                   f.estimated || x.estimated, std::move(what)});
  }
  for (const auto& f : a.files) {
    if (!counts(f) || seen.count(f.path)) continue;
    FileChange c{f.path, Change::Removed, f.size, 0, f.summary, f.estimated, {}};
    if (f.type == sim::NodeType::Symlink) c.what = "symlink";
    d.files.push_back(std::move(c));
  }
  std::sort(d.files.begin(), d.files.end(), [](const FileChange& x, const FileChange& y) {
    if (x.weight() != y.weight()) return x.weight() > y.weight();
    return x.path < y.path;
  });
  for (const auto& f : d.files) {
    if (f.change == Change::Added) ++d.added, d.added_bytes += f.b_size;
    else if (f.change == Change::Removed) ++d.removed, d.removed_bytes += f.a_size;
    else ++d.changed;
  }
}

// Layers side by side: the longest common subsequence of the instructions' first lines (the
// layers both variants make, in order), the others as A-only or B-only rows in between.
void layer_view(const sim::BuildResult& a, const sim::BuildResult& b, Diff& d) {
  LayerRow base;
  base.base = true;
  base.in_a = a.target < a.stages.size();
  base.in_b = b.target < b.stages.size();
  if (base.in_a) base.a_size = a.stages[a.target].base_bytes, base.a_stage = a.stages[a.target].base;
  if (base.in_b) base.b_size = b.stages[b.target].base_bytes, base.b_stage = b.stages[b.target].base;
  base.instruction = "base image";
  d.layers.push_back(base);
  const auto& la = a.layers;
  const auto& lb = b.layers;
  const size_t n = la.size(), m = lb.size();
  auto text = [](const sim::BuildResult& r, const sim::Layer& l) { return first_line(l.instruction); };
  std::vector<std::string> ta(n), tb(m);
  for (size_t i = 0; i < n; ++i) ta[i] = text(a, la[i]);
  for (size_t j = 0; j < m; ++j) tb[j] = text(b, lb[j]);
  // pairs (i, j) of matched layers, in order.
  std::vector<std::pair<size_t, size_t>> pairs;
  if (n * m <= 250000) {
    std::vector<std::vector<uint32_t>> t(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        t[i][j] = ta[i] == tb[j] ? t[i + 1][j + 1] + 1 : std::max(t[i + 1][j], t[i][j + 1]);
    for (size_t i = 0, j = 0; i < n && j < m;) {
      if (ta[i] == tb[j]) pairs.emplace_back(i++, j++);
      else if (t[i + 1][j] >= t[i][j + 1]) ++i;
      else ++j;
    }
  } else {  // very long images: match in order, greedily
    for (size_t i = 0, j = 0; i < n && j < m; ++i)
      for (size_t k = j; k < m && k < j + 64; ++k)
        if (ta[i] == tb[k]) {
          pairs.emplace_back(i, k);
          j = k + 1;
          break;
        }
  }
  auto row_a = [&](size_t i) {
    LayerRow r;
    r.instruction = ta[i];
    r.in_a = true;
    r.a_size = la[i].size_bytes;
    r.a_stage = a.stages[la[i].stage].label;
    r.a_line = a.steps[la[i].step].line;
    return r;
  };
  auto add_b = [&](LayerRow& r, size_t j) {
    r.in_b = true;
    r.b_size = lb[j].size_bytes;
    r.b_stage = b.stages[lb[j].stage].label;
    r.b_line = b.steps[lb[j].step].line;
  };
  size_t i = 0, j = 0;
  pairs.emplace_back(n, m);  // sentinel
  for (auto [pi, pj] : pairs) {
    for (; i < pi; ++i) d.layers.push_back(row_a(i));
    for (; j < pj; ++j) {
      LayerRow r;
      r.instruction = tb[j];
      add_b(r, j);
      d.layers.push_back(std::move(r));
    }
    if (pi < n && pj < m) {
      LayerRow r = row_a(pi);
      add_b(r, pj);
      d.layers.push_back(std::move(r));
      i = pi + 1;
      j = pj + 1;
    }
  }
}

}  // namespace

std::string_view change_name(Change c) {
  switch (c) {
    case Change::Added: return "added";
    case Change::Removed: return "removed";
    case Change::Changed: return "changed";
  }
  return "?";
}

Figures figures(const Side& s) {
  const sim::BuildResult& b = s.build;
  Figures f;
  f.ok = b.ok;
  if (b.target < b.stages.size()) {
    f.target = b.stages[b.target].label;
    f.base = b.stages[b.target].base;
    f.base_bytes = b.stages[b.target].base_bytes;
  }
  f.size_bytes = b.size_bytes;
  f.compressed_bytes = b.compressed_size_bytes;
  f.wasted_bytes = b.wasted_bytes;
  f.layers = b.layers.size();
  f.cold_seconds = b.cold_seconds;
  f.context_sent_bytes = b.context.after.bytes;
  f.context_sent_files = b.context.after.files;
  f.findings = s.checks.findings.size();
  return f;
}

Diff diff(const Side& a, const Side& b, const cache::Report& b_after_a) {
  Diff d;
  d.a = figures(a);
  d.b = figures(b);
  auto sdelta = [](uint64_t x, uint64_t y) { return static_cast<int64_t>(y) - static_cast<int64_t>(x); };
  d.size_delta = sdelta(d.a.size_bytes, d.b.size_bytes);
  d.compressed_delta = sdelta(d.a.compressed_bytes, d.b.compressed_bytes);
  d.context_delta = sdelta(d.a.context_sent_bytes, d.b.context_sent_bytes);
  d.layer_delta = static_cast<int64_t>(d.b.layers) - static_cast<int64_t>(d.a.layers);
  d.time_delta = d.b.cold_seconds - d.a.cold_seconds;
  file_diff(a.build, b.build, d);
  d.config = config_changes(a.build.config, b.build.config);
  match_findings(a.checks, b.checks, d);
  layer_view(a.build, b.build, d);
  d.cache = b_after_a;
  return d;
}

}  // namespace dfplay::compare
