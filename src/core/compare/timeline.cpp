#include "compare/timeline.h"

#include <algorithm>

namespace dfplay::compare {

Timeline timeline(const sim::BuildResult& b, const cache::Report* cache) {
  Timeline t;
  t.cold = cache == nullptr;
  // A step's time in this build: its report's (0 when cached), or its cold estimate.
  std::vector<const cache::StepReport*> report(b.steps.size(), nullptr);
  if (cache)
    for (const auto& sr : cache->steps)
      if (sr.step < report.size()) report[sr.step] = &sr;
  t.lanes.resize(b.stages.size());
  for (size_t s = 0; s < b.stages.size(); ++s) {
    const sim::StageResult& st = b.stages[s];
    Lane& lane = t.lanes[s];
    lane.stage = s;
    lane.label = st.label;
    lane.built = st.built;
    lane.depends_on = st.depends_on;
    for (size_t id : st.steps) {
      if (id >= b.steps.size()) continue;
      const sim::Step& step = b.steps[id];
      Bar bar;
      bar.step = id;
      bar.text = step.text.substr(0, step.text.find('\n'));
      bar.line = step.line;
      bar.source = step.time_source;
      if (!st.built) {
        bar.status = cache::Status::Skipped;
      } else if (const cache::StepReport* r = report[id]) {
        bar.status = r->status;
        bar.seconds = r->status == cache::Status::Run ? r->seconds : 0;
      } else {
        bar.status = cache::Status::Run;
        bar.seconds = step.seconds;
      }
      lane.bars.push_back(std::move(bar));
    }
  }
  // Stages start when every stage they need has finished (the graph's levels order them).
  std::vector<bool> done(b.stages.size(), false);
  auto place = [&](size_t s) {
    Lane& lane = t.lanes[s];
    double start = 0;
    for (size_t d : lane.depends_on)
      if (d < t.lanes.size() && t.lanes[d].built) start = std::max(start, t.lanes[d].finish);
    lane.start = start;
    double at = start;
    for (auto& bar : lane.bars) {
      bar.start = at;
      at += bar.seconds;
    }
    lane.finish = lane.built ? at : start;
    if (lane.built) t.serial += at - start;
    done[s] = true;
  };
  for (const auto& level : b.analysis->graph.levels)
    for (size_t s : level)
      if (s < t.lanes.size() && !done[s]) place(s);
  for (size_t s = 0; s < t.lanes.size(); ++s)
    if (!done[s]) place(s);
  // The critical path: from the built stage that finishes last, back through the dependency
  // that finishes last.
  size_t last = SIZE_MAX;
  for (size_t s = 0; s < t.lanes.size(); ++s)
    if (t.lanes[s].built && (last == SIZE_MAX || t.lanes[s].finish > t.lanes[last].finish ||
                             (t.lanes[s].finish == t.lanes[last].finish && s == b.target)))
      last = s;
  if (last != SIZE_MAX) t.total = t.lanes[last].finish;
  for (size_t s = last; s != SIZE_MAX;) {
    t.critical_path.insert(t.critical_path.begin(), s);
    Lane& lane = t.lanes[s];
    lane.critical = true;
    for (auto& bar : lane.bars) bar.critical = bar.status == cache::Status::Run && bar.seconds > 0;
    size_t next = SIZE_MAX;
    for (size_t d : lane.depends_on)
      if (d < t.lanes.size() && t.lanes[d].built && (next == SIZE_MAX || t.lanes[d].finish > t.lanes[next].finish)) next = d;
    if (next != SIZE_MAX && t.lanes[next].finish <= 0 && lane.start <= 0) next = SIZE_MAX;  // nothing to wait for
    if (std::find(t.critical_path.begin(), t.critical_path.end(), next) != t.critical_path.end()) break;
    s = next;
  }
  return t;
}

nlohmann::json timeline_json(const Timeline& t, const sim::BuildResult& b) {
  using nlohmann::json;
  json lanes = json::array();
  auto label = [&](size_t s) { return s < b.stages.size() ? b.stages[s].label : std::to_string(s); };
  for (const auto& l : t.lanes) {
    json deps = json::array();
    for (size_t d : l.depends_on) deps.push_back(label(d));
    json bars = json::array();
    for (const auto& bar : l.bars)
      bars.push_back(json{{"line", bar.line},
                          {"instruction", bar.text},
                          {"start", bar.start},
                          {"seconds", bar.seconds},
                          {"status", cache::status_name(bar.status)},
                          {"critical", bar.critical},
                          {"source", bar.source}});
    lanes.push_back(json{{"stage", l.label},
                         {"built", l.built},
                         {"critical", l.critical},
                         {"start", l.start},
                         {"finish", l.finish},
                         {"depends_on", std::move(deps)},
                         {"bars", std::move(bars)}});
  }
  json path = json::array();
  for (size_t s : t.critical_path) path.push_back(label(s));
  return json{{"cold", t.cold},
              {"total_seconds", t.total},
              {"serial_seconds", t.serial},
              {"estimated", true},
              {"critical_path", std::move(path)},
              {"lanes", std::move(lanes)}};
}

}  // namespace dfplay::compare
