// build_json_text(b) is dump(build_json(b)) byte for byte: the built-in examples, big.Dockerfile,
// the real-world and BuildKit parser Dockerfiles of ../shared, inputs made to reach every member
// and escape, and a hand-made result with the numbers' edge cases.
#include "report/build_json.h"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "context/build_context.h"
#include "examples/examples.h"
#include "pipeline.h"
#include "report/json.h"
#include "report/json_text.h"
#include "../../../tests/unit/shared_dir.h"

namespace {

using namespace dfplay;

std::string read(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void check_same(const std::string& name, const Request& request) {
  CAPTURE(name);
  auto r = run(request, {.checks = false});
  REQUIRE(r.build);
  const std::string text = report::build_json_text(*r.build);
  CHECK(text == report::dump(report::build_json(*r.build)));
  std::string appended = "{\"result\":";
  report::append_build_json(appended, *r.build);
  CHECK(appended == "{\"result\":" + text);
}

void check_text(const std::string& name, const std::string& dockerfile,
                std::vector<std::pair<std::string, std::string>> files = {}) {
  context::ContextBuilder b;
  for (const auto& [path, content] : files) b.add_file(path, content, 0644);
  auto ctx = b.build();
  Request r;
  r.dockerfile = dockerfile;
  r.context = &ctx;
  check_same(name, r);
}

}  // namespace

TEST_SUITE("report") {
  TEST_CASE("build_json_text: the built-in examples give dump(build_json) byte for byte") {
    for (const auto& ex : examples::builtin()) {
      context::ContextBuilder b;
      for (const auto& f : ex.files) b.add_file(f.path, f.content, f.mode);
      auto ctx = b.build();
      Request r;
      r.dockerfile = ex.dockerfile;
      r.dockerfile_path = ex.dockerfile_path;
      r.context = &ctx;
      r.options.target = ex.target;
      r.options.build_args = ex.build_args;
      check_same(ex.id, r);
    }
  }

  TEST_CASE("build_json_text: big.Dockerfile and the Dockerfiles of ../shared/conformance") {
    DFPLAY_REQUIRE_SHARED("bench/big.Dockerfile");
    const auto shared = dfplay::testing::shared_dir();
    check_text("big.Dockerfile", read(shared / "bench" / "big.Dockerfile"));
    size_t n = 0;
    for (const char* dir : {"conformance/real", "conformance/buildkit/parser"}) {
      if (!std::filesystem::exists(shared / dir)) continue;
      for (const auto& e : std::filesystem::recursive_directory_iterator(shared / dir)) {
        if (!e.is_regular_file() || e.path().filename().string().find("Dockerfile") == std::string::npos) continue;
        check_text(e.path().string(), read(e.path()));
        ++n;
      }
    }
    CHECK(n > 0);
  }

  TEST_CASE("build_json_text: every member, escapes, non-ASCII and invalid UTF-8") {
    check_text("config and files",
               "FROM alpine:3.19 AS base\n"
               "LABEL b=\"two\" a=\"o\\\"ne\" c=caf\xc3\xa9\n"
               "ENV A=1 B=\"x y\"\n"
               "EXPOSE 80 443/udp\n"
               "VOLUME /data /cache\n"
               "STOPSIGNAL SIGINT\n"
               "SHELL [\"/bin/sh\", \"-c\"]\n"
               "ONBUILD RUN echo hi\n"
               "HEALTHCHECK --interval=5s --timeout=2s --start-period=1s --retries=4 CMD wget -q localhost\n"
               "USER 1000:1000\n"
               "WORKDIR /app\n"
               "COPY --chmod=0755 run.sh /app/\n"
               "COPY . /src\n"
               "RUN ln -s /app/run.sh /usr/local/bin/run && mkdir -p /x/y && echo \"\t\\\\ \x01\x1f\x7f\" > /x/y/f\n"
               "RUN some-unknown-tool --make-files\n"
               "ADD https://example.com/a.tar.gz /opt/\n"
               "FROM base AS second\n"
               "COPY --from=base /app /app2\n"
               "FROM scratch\n"
               "COPY --from=second /app2/run.sh /\n"
               "ENTRYPOINT [\"/run.sh\"]\n"
               "CMD [\"--flag\", \"caf\xc3\xa9\", \"bad \xff\xfe byte\", \"cut \xe2\x82\"]\n",
               {{"run.sh", "#!/bin/sh\necho \"hi\"\n"}, {".dockerignore", "secret\n*.log\n"}, {"secret", "x"},
                {"a.log", "y"}, {"caf\xc3\xa9.txt", "z"}, {"bad\xff.txt", "w"}});
    check_text("no FROM", "RUN echo hi\nCOPY --chmod=bad . .\n");
    check_text("empty", "");
    check_text("control characters", "FROM alpine\r\nRUN echo \"\b\f\x02\"\r\n# caf\xc3\xa9 \xc3\n");
    check_text("a failing build", "FROM alpine\nCOPY missing /x\nRUN false\n");
  }

  TEST_CASE("build_json_text: numbers as nlohmann writes them") {
    sim::BuildResult b;
    b.efficiency = std::numeric_limits<double>::quiet_NaN();
    b.compression_ratio = std::numeric_limits<double>::infinity();
    b.cold_seconds = -0.0;
    b.serial_seconds = 1e21;
    b.size_bytes = std::numeric_limits<uint64_t>::max();
    b.estimates = {"", "\"quoted\"", "tab\there"};
    sim::StageResult s;
    s.label = "0";
    s.level = -1;
    s.seconds = 0.1 + 0.2;
    s.finish_seconds = 1e-7;
    s.depends_on = {3, 1};
    b.stages.push_back(s);
    b.target = 0;
    sim::Step st;
    st.seconds = 12345678.9;
    st.notes = {"n1", "n\xe2\x82\xac"};
    b.steps.push_back(st);
    b.stages[0].steps = {0};
    b.config.healthcheck = stages::HealthConfig{{"CMD", "true"}, -5, 0, 1, 2, -3};
    for (uint32_t mode : {0u, 07u, 0755u, 04755u, 0177777u, 0xFFFFFFFFu}) {  // "%04o"
      sim::ImageFile f;
      f.path = "/f";
      f.mode = mode;
      b.files.push_back(f);
    }
    CHECK(report::build_json_text(b) == report::dump(report::build_json(b)));
    b.target = stages::npos;
    b.single_stage = 0;
    CHECK(report::build_json_text(b) == report::dump(report::build_json(b)));
  }

  TEST_CASE("JsonText: strings and numbers as dump() writes them") {
    for (std::string s : {std::string(""), std::string("plain"), std::string("a\"b\\c/d"),
                          std::string("\x00\x01\x1f\x20\x7f", 5), std::string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
                          std::string("\xc0\xaf overlong"), std::string("\xed\xa0\x80 surrogate"),
                          std::string("end \xe2\x82"), std::string("\x80 lone")}) {
      std::string out;
      report::JsonText(out).value(s);
      CHECK(out == report::dump(nlohmann::json(s)));
    }
    for (double d : {0.0, -0.0, 1.0, -1.5, 0.1, 1e-5, 1e-4, 123456789012345678.0, 1e300, 5e-324,
                     std::numeric_limits<double>::max()}) {
      std::string out;
      report::JsonText(out).value(d);
      CHECK(out == report::dump(nlohmann::json(d)));
    }
    std::string out;
    report::JsonText w(out);
    w.begin_array().value(-7).value(0u).value(std::numeric_limits<long long>::min())
        .value(std::numeric_limits<unsigned long long>::max()).begin_object().end_object()
        .begin_array().end_array().null().value(false).end_array();
    CHECK(out == "[-7,0,-9223372036854775808,18446744073709551615,{},[],null,false]");
  }
}
