// The estimated build as a timeline (a Gantt chart): one lane per stage, stages that do not
// depend on each other side by side in time, each step a bar placed after the steps before it,
// the critical path (the chain of stages that decides the total) marked, and the total. Cold
// (every step runs) from the simulation alone, or a rebuild from a cache report (CACHED steps
// take no time, as cache::Report counts them).
//
// Every duration is the simulation's estimate: Bar::source says where it comes from
// (sim::Step::time_source), and the front ends label them as estimated.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cache/session.h"
#include "sim/build.h"

namespace dfplay::compare {

struct Bar {
  size_t step = 0;    // index in BuildResult::steps
  std::string text;   // first line of the instruction
  uint32_t line = 0;
  double start = 0, seconds = 0;  // estimated
  cache::Status status = cache::Status::Run;
  bool critical = false;  // runs on the critical path
  std::string source;     // where the duration comes from
};

struct Lane {
  size_t stage = 0;
  std::string label;
  bool built = false;
  bool critical = false;
  double start = 0, finish = 0;
  std::vector<size_t> depends_on;
  std::vector<Bar> bars;
};

struct Timeline {
  bool cold = true;   // false: a rebuild against a cache report
  double total = 0;   // estimated seconds (parallel stages honoured)
  double serial = 0;  // every stage one after the other
  std::vector<Lane> lanes;             // one per stage, in file order
  std::vector<size_t> critical_path;   // stage indexes, first to last
};

// The cold build (cache == nullptr) or the build a cache report describes.
Timeline timeline(const sim::BuildResult& b, const cache::Report* cache = nullptr);

// {cold, total_seconds, serial_seconds, estimated: true, critical_path: [labels],
//  lanes: [{stage, built, critical, start, finish, depends_on: [labels],
//           bars: [{line, instruction, start, seconds, status, critical, source}]}]}
nlohmann::json timeline_json(const Timeline& t, const sim::BuildResult& b);

}  // namespace dfplay::compare
