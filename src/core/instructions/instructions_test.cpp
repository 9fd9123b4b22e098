#include "instructions/instructions.h"

#include <doctest/doctest.h>

#include "syntax/parser.h"

using namespace dfplay;

namespace {

struct Parsed {
  syntax::Dockerfile df;
  ins::Program program;
};

Parsed parse(std::string_view text) {
  Parsed p;
  p.df = syntax::parse(text);
  p.program = ins::build_program(p.df);
  return p;
}

std::string first_error(const Parsed& p) {
  for (const auto& d : p.program.diagnostics)
    if (d.severity == Severity::Error) return d.message;
  return "";
}

}  // namespace

TEST_CASE("stages group instructions; ARGs before the first FROM are meta args") {
  auto p = parse("ARG V=1\nFROM alpine:${V} AS Build\nRUN echo\nFROM scratch\nCOPY --from=build /a /b\n");
  REQUIRE(p.program.diagnostics.empty());
  REQUIRE(p.program.meta_args.size() == 1);
  REQUIRE(p.program.stages.size() == 2);
  CHECK(p.program.stages[0].name() == "build");
  CHECK(p.program.stages[0].base().name->text == "Build");
  CHECK(p.program.stages[0].commands.size() == 1);
  CHECK(p.program.stages[1].name().empty());
  auto* cp = p.program.stages[1].commands[0].as<ins::Copy>();
  REQUIRE(cp);
  CHECK(cp->from->text == "build");
  CHECK(cp->sources.size() == 1);
  CHECK(cp->dest.text == "/b");
}

TEST_CASE("instructions before FROM other than ARG are errors") {
  auto p = parse("RUN echo\nFROM alpine\n");
  CHECK(first_error(p) == "no build stage in current context");
  CHECK(p.program.diagnostics.items()[0].range.begin.line == 1);
}

TEST_CASE("FROM argument counts and stage names") {
  CHECK(first_error(parse("FROM a b\n")) == "FROM requires either one or three arguments");
  CHECK(first_error(parse("FROM a AS 1x\n")) ==
        "invalid name for build stage: \"1x\", name can't start with a number or contain symbols");
  auto p = parse("FROM --platform=$BUILDPLATFORM golang as b\n");
  REQUIRE(p.program.stages.size() == 1);
  CHECK(p.program.stages[0].base().platform->text == "$BUILDPLATFORM");
  CHECK(p.program.stages[0].base().as_word->text == "as");
}

TEST_CASE("flags are validated as BuildKit does") {
  CHECK(first_error(parse("FROM a\nCOPY --form=x a b\n")) == "unknown flag: form");
  CHECK(first_error(parse("FROM a\nCOPY --from a b\n")) == "missing a value on flag: from");
  CHECK(first_error(parse("FROM a\nCOPY --link=maybe a b\n")) == "expecting boolean value for flag link, not: maybe");
  CHECK(first_error(parse("FROM a\nCOPY --from=x --from=y a b\n")) == "duplicate flag specified: from");
  CHECK(first_error(parse("FROM a\nADD --from=x a b\n")) == "unknown flag: from");
  CHECK(first_error(parse("FROM a\nCOPY --parents --exclude=*.md --exclude=x a b\n")).empty());
  CHECK(first_error(parse("FROM a\nADD --checksum=sha256:abc --keep-git-dir https://x/y.git /z\n")).empty());
  CHECK(first_error(parse("FROM a\nCOPY --chmod=999 a b\n")) == "invalid chmod parameter: 999");
  auto p = parse("FROM a\nCOPY --form=x a b\n");
  auto r = p.program.diagnostics.items()[0].range;
  CHECK(r.begin.line == 2);
  CHECK(r.begin.column == 6);
}

TEST_CASE("COPY and ADD need a destination") {
  CHECK(first_error(parse("FROM a\nCOPY a\n")) ==
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined");
}

TEST_CASE("RUN --mount options") {
  auto p = parse(
      "FROM a\n"
      "RUN --mount=type=cache,target=/root/.npm,sharing=locked --mount=type=secret,id=tok "
      "--mount=from=build,source=/out,target=/in --network=none npm ci\n");
  REQUIRE(p.program.diagnostics.empty());
  auto* run = p.program.stages[0].commands[0].as<ins::Run>();
  REQUIRE(run);
  REQUIRE(run->mounts.size() == 3);
  CHECK(run->mounts[0].type == ins::MountType::Cache);
  CHECK(run->mounts[0].target == "/root/.npm");
  CHECK(run->mounts[0].sharing == ins::Sharing::Locked);
  CHECK_FALSE(run->mounts[0].readonly);
  CHECK(run->mounts[1].type == ins::MountType::Secret);
  CHECK(run->mounts[1].id == "tok");
  CHECK(run->mounts[2].type == ins::MountType::Bind);
  CHECK(run->mounts[2].from == "build");
  CHECK(run->mounts[2].readonly);
  CHECK(run->network == "none");

  CHECK(first_error(parse("FROM a\nRUN --mount=type=foo x\n")) == "unsupported mount type \"foo\"");
  CHECK(first_error(parse("FROM a\nRUN --mount=type=bind,mode=0700 x\n")) == "mode not allowed for \"bind\" type mounts");
  CHECK(first_error(parse("FROM a\nRUN --mount=type=secret,from=x,id=a x\n")) == "secret mount should not have a from");
  CHECK(first_error(parse("FROM a\nRUN --mount=type=bind,sharing=locked x\n")) == "invalid cache sharing set for bind mount");
  CHECK(first_error(parse("FROM a\nRUN --mount=type=cache,bogus=1 x\n")) == "unexpected key 'bogus' in 'bogus=1'");
  CHECK(first_error(parse("FROM a\nRUN --network=bridge x\n")) == "unsupported network mode \"bridge\"");
  CHECK(first_error(parse("FROM a\nRUN --security=insecure x\n")).empty());
}

TEST_CASE("ENV, LABEL and ARG pairs") {
  auto p = parse("FROM a\nENV A=1 B=\"two words\"\nENV C 3\nARG X Y=2\nLABEL k=v\n");
  REQUIRE(p.program.diagnostics.empty());
  const auto& cmds = p.program.stages[0].commands;
  auto* env = cmds[0].as<ins::Env>();
  REQUIRE(env);
  REQUIRE(env->pairs.size() == 2);
  CHECK(env->pairs[0].key.text == "A");
  CHECK_FALSE(env->pairs[0].legacy);
  auto* legacy = cmds[1].as<ins::Env>();
  REQUIRE(legacy);
  CHECK(legacy->pairs[0].legacy);
  auto* arg = cmds[2].as<ins::Arg>();
  REQUIRE(arg);
  CHECK_FALSE(arg->pairs[0].has_value);
  CHECK(arg->pairs[1].key.text == "Y");
  CHECK(arg->pairs[1].value.text == "2");
  CHECK(cmds[3].as<ins::Label>());
  CHECK(first_error(parse("FROM a\nARG =x\n")) == "ARG names can not be blank");
}

TEST_CASE("argument counts of single-argument instructions") {
  // WORKDIR, USER, STOPSIGNAL and MAINTAINER take the rest of the line as one argument.
  auto w = parse("FROM a\nWORKDIR /my dir\nUSER a b\n");
  CHECK(first_error(w).empty());
  CHECK(w.program.stages[0].commands[0].as<ins::Workdir>()->path.text == "/my dir");
  CHECK(first_error(parse("FROM a\nSTOPSIGNAL\n")) == "STOPSIGNAL requires exactly one argument");
  CHECK(first_error(parse("FROM a\nEXPOSE\n")) == "EXPOSE requires at least one argument");
  CHECK(first_error(parse("FROM a\nSHELL /bin/sh -c\n")) == "SHELL requires the arguments to be in JSON form");
}

TEST_CASE("HEALTHCHECK") {
  auto p = parse("FROM a\nHEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/\n");
  REQUIRE(p.program.diagnostics.empty());
  auto* h = p.program.stages[0].commands[0].as<ins::Healthcheck>();
  REQUIRE(h);
  CHECK(h->interval_ns == 30'000'000'000LL);
  CHECK(h->retries == 3);
  REQUIRE(h->test.size() == 2);
  CHECK(h->test[0] == "CMD-SHELL");
  auto none = parse("FROM a\nHEALTHCHECK NONE\n");
  CHECK(none.program.stages[0].commands[0].as<ins::Healthcheck>()->none);
  CHECK(first_error(parse("FROM a\nHEALTHCHECK NONE x\n")) == "HEALTHCHECK NONE takes no arguments");
  CHECK(first_error(parse("FROM a\nHEALTHCHECK --interval=1us CMD x\n")) == "interval \"interval\" cannot be less than 1ms");
  CHECK(first_error(parse("FROM a\nHEALTHCHECK --retries=-1 CMD x\n")) == "--retries cannot be negative (-1)");
  CHECK(first_error(parse("FROM a\nHEALTHCHECK FOO x\n")) == "unknown type \"FOO\" in HEALTHCHECK (try CMD)");
}

TEST_CASE("Go durations") {
  CHECK(ins::parse_go_duration("1m30s") == 90'000'000'000LL);
  CHECK(ins::parse_go_duration("1.5h") == 5'400'000'000'000LL);
  CHECK(ins::parse_go_duration("300ms") == 300'000'000LL);
  CHECK(ins::parse_go_duration("0") == 0);
  CHECK_FALSE(ins::parse_go_duration("10"));
  CHECK_FALSE(ins::parse_go_duration("abc"));
}

TEST_CASE("broken instructions are reported and the rest is still read") {
  auto p = parse("FROM a\nCOPY --bogus x y\nWORKDIR /app\nRUN --network=x y\nRUN ok\n");
  CHECK(p.program.diagnostics.size() == 2);
  CHECK(p.program.stages[0].commands.size() == 2);
}

namespace {
// What a Program holds, as text: every instruction by its node and kind, and every diagnostic.
std::string fingerprint(const syntax::Dockerfile& df, const ins::Program& p) {
  std::string out;
  auto ins = [&](const ins::Instruction& i) {
    out += std::to_string(i.node ? i.node - df.nodes.data() : -1) + ":" + std::to_string(static_cast<int>(i.keyword)) + ":" +
           std::to_string(i.command.index()) + " ";
  };
  for (const auto& a : p.meta_args) ins(a);
  for (const auto& st : p.stages) {
    out += "\nstage " + std::to_string(st.index) + " " + st.name() + ": ";
    ins(st.from);
    for (const auto& c : st.commands) ins(c);
  }
  for (const auto& d : p.diagnostics) out += "\n" + format_diagnostic(d, "f");
  return out;
}
}  // namespace

TEST_CASE("ProgramBuilder: the same Program as build_program however the nodes are cut") {
  const std::string text =
      "ARG A=1\nARG B\nRUN early\nFROM alpine AS one\nCOPY --chmod=8 a b\nRUN echo\nENV X=1\nNOPE\n"
      "FROM one AS two\nADD --checksum=sha256:00 a b\nCOPY --link a\nHEALTHCHECK CMD true\nFROM scratch\nCMD [\"x\"]\n";
  const syntax::Dockerfile df = syntax::parse(text);
  const std::string one = fingerprint(df, ins::build_program(df));
  CHECK(one.find("stage 2") != std::string::npos);
  for (size_t cut : {1, 2, 3, 5, 100}) {
    ins::ProgramBuilder b(df);
    int steps = 1;
    while (!b.step(cut)) ++steps;
    CHECK(steps == static_cast<int>((df.nodes.size() + cut - 1) / cut));
    CHECK(fingerprint(df, b.take()) == one);
  }
  const syntax::Dockerfile none = syntax::parse("");
  ins::ProgramBuilder empty(none);
  CHECK(empty.step(10));
}
