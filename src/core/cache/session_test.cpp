#include "cache/session.h"

#include <doctest/doctest.h>

#include "context/build_context.h"
#include "pipeline.h"
#include "sim/build.h"

namespace {

using namespace dfplay;

context::BuildContext ctx_of(std::initializer_list<std::pair<const char*, const char*>> files) {
  context::ContextBuilder b;
  for (const auto& [p, c] : files) b.add_file(p, c);
  return b.build();
}

std::unique_ptr<sim::BuildResult> build(const std::string& df, const context::BuildContext& ctx,
                                        stages::Vars args = {}, uint64_t nonce = 1) {
  Request in;
  in.dockerfile = df;
  in.context = &ctx;
  in.options.build_args = std::move(args);
  return simulate(in, nonce);
}

std::vector<std::string> statuses(const sim::BuildResult& b, const cache::Report& r) {
  std::vector<std::string> out;
  for (const auto& s : r.steps)
    if (b.steps[s.step].kind != sim::StepKind::From) out.emplace_back(cache::status_name(s.status));
  return out;
}

const char* kNode = R"(FROM node:20-alpine AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
FROM node:20-alpine AS production
WORKDIR /app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --from=builder /app/dist ./dist
USER node
)";

}  // namespace

TEST_SUITE("cache") {
  TEST_CASE("a source edit keeps npm ci cached; a package.json edit re-runs it") {
    const char* pkg =
        R"({"scripts":{"build":"tsc"},"dependencies":{"express":"^4"},"devDependencies":{"typescript":"^5"}})";
    const char* tsconfig = R"({"compilerOptions":{"outDir":"dist","rootDir":"src"},"include":["src"]})";
    auto c1 = ctx_of({{"package.json", pkg}, {"package-lock.json", "{}"}, {"src/a.ts", "export const a = 1;"},
                      {"src/b.ts", "export const b = 1;"}, {"tsconfig.json", tsconfig}});
    auto c2 = ctx_of({{"package.json", pkg}, {"package-lock.json", "{}"}, {"src/a.ts", "export const a = 2;"},
                      {"src/b.ts", "export const b = 1;"}, {"tsconfig.json", tsconfig}});
    cache::Session s;
    auto b1 = build(kNode, c1);
    auto r1 = s.build(*b1);
    CHECK(r1.cached == 0);
    auto b2 = build(kNode, c2);
    auto r2 = s.build(*b2);
    CHECK(statuses(*b2, r2) == std::vector<std::string>{"cached", "cached", "cached", "run", "run", "cached", "cached",
                                                          "cached", "run"});
    // The first miss is COPY . . with the edited path.
    bool found = false;
    for (const auto& st : r2.steps)
      if (st.first_miss && st.reason && st.reason->kind == "context-files-changed") {
        found = true;
        CHECK(st.reason->paths == std::vector<std::string>{"src/a.ts"});
      }
    CHECK(found);
    // tsc output identity is per file: only a.js differs, so COPY --from names it alone.
    const auto& last = r2.steps.back();
    REQUIRE(last.reason);
    CHECK(last.reason->kind == "stage-output-changed");
    CHECK(last.reason->paths == std::vector<std::string>{"/app/dist/a.js"});
    // Any earlier build can hit: going back to the first context is fully cached.
    auto b3 = build(kNode, c1);
    auto r3 = s.build(*b3);
    CHECK(r3.run == 0);
    s.clear();
    auto r4 = s.build(*b3);
    CHECK(r4.cached == 0);  // cold: merged vertices of production share the builder's status
  }

  TEST_CASE("a changed build arg misses at the first RUN after its ARG, not before") {
    auto c = ctx_of({{"a.txt", "a"}});
    std::string df = "FROM alpine:3.20\nRUN echo one\nARG V=1\nCOPY a.txt /a\nRUN echo two\n";
    cache::Session s;
    auto b1 = build(df, c);
    s.build(*b1);
    auto b2 = build(df, c, {{"V", "2"}});
    auto r = s.build(*b2);
    CHECK(statuses(*b2, r) == std::vector<std::string>{"cached", "cached", "run"});
    CHECK(r.steps.back().reason->kind == "build-arg-changed");
    CHECK(r.steps.back().reason->name == "V");
  }

  TEST_CASE("exec form equal to the shell form is the same key; cache mount id is not in the key") {
    auto c = ctx_of({});
    cache::Session s;
    auto b1 = build("FROM alpine:3.20\nRUN --mount=type=cache,target=/c,id=a echo hi\n", c);
    s.build(*b1);
    auto b2 = build("FROM alpine:3.20\nRUN --mount=type=cache,target=/c,id=b echo hi\n", c);
    CHECK(s.build(*b2).run == 0);
    auto b3 = build("FROM alpine:3.20\nRUN [\"/bin/sh\", \"-c\", \"echo x\"]\n", c);
    s.build(*b3);
    auto b4 = build("FROM alpine:3.20\nRUN echo x\n", c);
    CHECK(s.build(*b4).run == 0);
  }

  TEST_CASE("--chown by name and by uid are different keys; COPY without --chown ignores USER") {
    auto c = ctx_of({{"a.txt", "a"}});
    cache::Session s;
    s.build(*build("FROM node:20-alpine\nCOPY --chown=node:node a.txt /a\n", c));
    CHECK(s.build(*build("FROM node:20-alpine\nCOPY --chown=1000:1000 a.txt /a\n", c)).run == 1);
    s.build(*build("FROM node:20-alpine\nCOPY a.txt /b\n", c));
    CHECK(s.build(*build("FROM node:20-alpine\nUSER node\nCOPY a.txt /b\n", c)).run == 0);
  }

  TEST_CASE("--no-cache re-runs every step") {
    auto c = ctx_of({});
    cache::Session s;
    auto b = build("FROM alpine:3.20\nRUN echo a\n", c);
    s.build(*b);
    Request in;
    in.dockerfile = "FROM alpine:3.20\nRUN echo a\n";
    in.context = &c;
    in.options.no_cache = true;
    auto r = s.build(*simulate(in, 2));
    CHECK(r.steps.back().status == cache::Status::Run);
    CHECK(r.steps.back().reason->kind == "no-cache");
  }
}

TEST_SUITE("build") {
  TEST_CASE("the seed's trailing comment trap fails like BuildKit, with an explanation") {
    auto c = ctx_of({{"package.json", "{}"}});
    auto b = build("FROM node:20-alpine AS builder\nWORKDIR /app\nRUN mkdir -p dist\n"
                   "FROM node:20-alpine\nCOPY --from=builder /app/dist ./dist # copy compiled output only\n", c);
    CHECK_FALSE(b->ok);
    bool not_found = false, note = false;
    for (const auto& d : b->diagnostics) {
      if (d.message.find("\"compiled\" not found") != std::string::npos) not_found = true;
      if (d.code == "build/hash-not-comment") note = true;
    }
    CHECK(not_found);
    CHECK(note);
  }

  TEST_CASE("COPY rules: several sources to a name without slash, wildcard without match, chmod, WORKDIR owner") {
    auto c = ctx_of({{"a.txt", "aa"}, {"b.txt", "bbb"}, {"dir/x", "x"}});
    auto b = build("FROM node:20-alpine\nCOPY a.txt b.txt /dest\nCOPY *.none /nothing/\nCOPY --chmod=0640 dir /d/\n"
                   "USER node\nWORKDIR /srv/app\n", c);
    REQUIRE(b->ok);
    auto find = [&](const std::string& p) -> const sim::ImageFile* {
      for (const auto& f : b->files)
        if (f.path == p) return &f;
      return nullptr;
    };
    REQUIRE(find("/dest"));
    CHECK(find("/dest")->type == sim::NodeType::File);
    CHECK(find("/dest")->size == 3);
    CHECK(find("/nothing") == nullptr);
    REQUIRE(find("/d/x"));
    CHECK(find("/d/x")->mode == 0640);
    REQUIRE(find("/srv/app"));
    CHECK(find("/srv/app")->uid == 1000);
    CHECK(b->config.user == "node");
    CHECK(b->config.workdir == "/srv/app");
  }

  TEST_CASE("stage pruning and the single-stage comparison") {
    auto c = ctx_of({{"main.go", "package main"}, {"go.mod", "module x\n\ngo 1.22\n"}});
    auto b = build("FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/app .\n"
                   "FROM alpine:3.20 AS unused\nRUN echo x\n"
                   "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /out/app /app\n", c);
    CHECK(b->stages[0].built);
    CHECK_FALSE(b->stages[1].built);
    CHECK(b->stages[2].built);
    CHECK(b->single_stage == 0);
    CHECK(b->single_stage_size_bytes > b->size_bytes);
    CHECK(b->size_bytes < 50'000'000);
  }
}

TEST_SUITE("eval") {
  TEST_CASE("ARG/ENV state, expansion where Docker expands, undefined variables") {
    auto c = ctx_of({});
    auto b = build("ARG G=glob\nFROM alpine:3.20\nARG G\nARG A=1\nENV A=env X=$A\nWORKDIR /w/$G\nRUN echo $NOPE\n"
                   "COPY $MISSING /x/\n", c, {{"A", "2"}});
    const auto& st = b->analysis->eval.stages[0];
    CHECK(*stages::find_var(st.args, "G") == "glob");
    CHECK(*stages::find_var(st.args, "A") == "2");
    CHECK(*stages::find_var(st.config.env, "X") == "2");  // ENV values see the ARG before the ENV
    CHECK(st.config.workdir == "/w/glob");
    // RUN shell form is not expanded: no reference recorded.
    CHECK(st.steps[4].refs.empty());
    // The RUN sees A from ENV only (shadowed ARG not repeated).
    CHECK(stages::find_var(st.steps[4].args, "A") == nullptr);
    bool undefined = false;
    for (const auto& r : st.steps[5].refs) undefined = undefined || (r.name == "MISSING" && !r.defined);
    CHECK(undefined);
  }
  TEST_CASE("copies of a session share earlier builds; many builds behave like one cache") {
    auto c = ctx_of({{"package.json", "{}"}, {"a.txt", "a"}});
    auto df = [](int i) { return "FROM alpine:3.20\nRUN echo " + std::to_string(i) + " > /n\nCOPY a.txt /a\n"; };
    cache::Session s;
    auto b0 = build(df(0), c);
    s.build(*b0);
    cache::Session copy = s;
    auto b1 = build(df(1), c);
    auto r = copy.build(*b1);
    CHECK(statuses(*b1, r) == std::vector<std::string>{"run", "run"});
    // The original did not see the copy's build; the copy sees both.
    CHECK(statuses(*b1, s.preview(*b1)) == std::vector<std::string>{"run", "run"});
    CHECK(statuses(*b1, copy.preview(*b1)) == std::vector<std::string>{"cached", "cached"});
    CHECK(statuses(*b0, copy.preview(*b0)) == std::vector<std::string>{"cached", "cached"});
    CHECK(copy.size() == s.size() + 2);
    // More builds than the session keeps apart (they are merged): every one stays cached, and
    // the first miss of a new build is still explained against the right earlier step.
    for (int i = 2; i < 20; ++i) copy.build(*build(df(i), c));
    CHECK(copy.builds() == 20);
    for (int i = 0; i < 20; ++i) {
      auto bi = build(df(i), c);
      CHECK(statuses(*bi, copy.preview(*bi)) == std::vector<std::string>{"cached", "cached"});
    }
    CHECK(copy.size() == 1 + 20 * 2);  // one FROM, then a RUN and a COPY per build
    auto changed = build("FROM alpine:3.20\nRUN echo 3 > /n\nCOPY package.json /a\n", c);
    auto rep = copy.preview(*changed);
    CHECK(statuses(*changed, rep) == std::vector<std::string>{"cached", "run"});
    REQUIRE(rep.steps[2].reason);
    CHECK(rep.steps[2].reason->kind == "instruction-changed");
    CHECK(rep.steps[2].reason->field == "sources");
    auto edited = build("FROM alpine:3.20\nRUN echo 3 >  /n\nCOPY a.txt /a\n", c);
    auto rep2 = copy.preview(*edited);
    REQUIRE(rep2.steps[1].reason);
    CHECK(rep2.steps[1].reason->kind == "instruction-changed");
    CHECK(rep2.steps[1].reason->field == "command");
    copy.clear();
    CHECK(copy.size() == 0);
    CHECK(statuses(*b0, copy.preview(*b0)) == std::vector<std::string>{"run", "run"});
  }

  TEST_CASE("reasons in user words: an ENV order change names the variables; USER back to root says so") {
    auto c = ctx_of({{"a.txt", "a"}});
    cache::Session s;
    auto b1 = build("FROM alpine:3.20\nENV A=1 B=2\nRUN echo hi\n", c);
    s.build(*b1);
    auto b2 = build("FROM alpine:3.20\nENV B=2 A=1\nRUN echo hi\n", c);
    auto r = s.build(*b2);
    REQUIRE(r.steps.back().reason);
    const auto& why = *r.steps.back().reason;
    CHECK(why.kind == "env-changed");
    CHECK(why.message.find("order") != std::string::npos);
    CHECK(why.message.find("A") != std::string::npos);
    CHECK(why.message.find("B") != std::string::npos);
    CHECK(why.message.find("\"\" -> \"\"") == std::string::npos);

    cache::Session u;
    u.build(*build("FROM alpine:3.20\nRUN adduser -D app\nUSER app\nRUN echo hi\n", c));
    auto r2 = u.build(*build("FROM alpine:3.20\nRUN adduser -D app\nRUN echo hi\n", c));
    REQUIRE(r2.steps.back().reason);
    CHECK(r2.steps.back().reason->kind == "user-changed");
    CHECK(r2.steps.back().reason->message == "USER changed: \"app\" -> root (default)");
  }
}

