// "Unknown is not absent": what a RUN the simulation does not model could have written is not
// reported as missing; real errors (a context file that is not there, a path no step could have
// created) stay errors. The patterns come from public sample repositories (issue 16).
#include "sim/build.h"
#include "sim/build_test_util.h"

#include <doctest/doctest.h>

#include <string>

namespace {

using namespace dfplay;
using namespace dfplay::sim::testutil;

bool has_error(const sim::BuildResult& b) {
  for (const auto& d : b.diagnostics)
    if (d.severity == Severity::Error) return true;
  return false;
}

const char* kPom = R"(<project>
  <parent><artifactId>spring-boot-starter-parent</artifactId><version>3.2.0</version></parent>
  <artifactId>demo</artifactId><version>0.0.1-SNAPSHOT</version>
  <build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>
)";

}  // namespace

TEST_SUITE("sim/build unknown effects") {
  TEST_CASE("COPY --from a path an unmodelled RUN could have written: no error, labelled unknown") {
    auto ctx = ctx_of({{"build.sh", "#!/bin/sh\n"}});
    auto b = sim_build(R"(FROM alpine:3.20 AS build
WORKDIR /src
RUN some-vendor-tool --emit /out/app.bin
FROM alpine:3.20
COPY --from=build /out/app.bin /usr/local/bin/app
COPY --from=build /src/generated/ /srv/
)",
                       &ctx);
    CHECK(b->ok);
    CHECK_FALSE(has_error(*b));
    CHECK(has_diag(*b, "build/source-unverified"));
    const auto* f = file(*b, "/usr/local/bin/app");
    REQUIRE(f);
    CHECK(f->type == sim::NodeType::File);  // looks like a file (an extension)
    CHECK(f->unknown);
    CHECK(f->source.find("line 3") != std::string::npos);
    CHECK(f->source.find("some-vendor-tool") != std::string::npos);
    const auto* d = file(*b, "/srv");
    REQUIRE(d);
    CHECK(d->unknown);
    CHECK(d->summary);  // a directory of unknown contents
    // The steps and layers say so too.
    CHECK(step_at_line(*b, 3).unmodelled);
    CHECK(step_at_line(*b, 5).unmodelled);
    bool layer_unknown = false;
    for (const auto& l : b->layers) layer_unknown = layer_unknown || l.unknown;
    CHECK(layer_unknown);
  }

  TEST_CASE("real errors stay errors: every step modelled, or a context file that is not there") {
    // The build stage's RUNs are all modelled: nothing could have created /out/app.bin.
    auto b = sim_build(R"(FROM alpine:3.20 AS build
RUN mkdir -p /out && echo hi > /out/readme.txt
FROM alpine:3.20
COPY --from=build /out/app.bin /app
)");
    CHECK_FALSE(b->ok);
    CHECK(has_diag(*b, "build/source-not-found"));
    CHECK_FALSE(has_diag(*b, "build/source-unverified"));
    // A context file is never produced by a RUN: missing is missing, unknown RUNs or not.
    auto ctx = ctx_of({{"a.txt", "x"}});
    auto c = sim_build("FROM alpine:3.20\nRUN some-vendor-tool\nCOPY missing.txt /x\n", &ctx);
    CHECK_FALSE(c->ok);
    CHECK(has_error(*c));
    // An unknown step in ANOTHER stage does not make this stage's paths unknown.
    auto d = sim_build(R"(FROM alpine:3.20 AS tools
RUN some-vendor-tool
FROM alpine:3.20 AS build
RUN mkdir /out
FROM alpine:3.20
COPY --from=build /out/app.bin /app
)");
    CHECK_FALSE(d->ok);
  }

  TEST_CASE("an unknown step in the parent stage (FROM <stage>) counts") {
    auto b = sim_build(R"(FROM alpine:3.20 AS base
RUN curl -fsSL https://example.com/install.sh | sh
FROM base AS build
RUN mkdir -p /work
FROM alpine:3.20
COPY --from=build /root/.local/bin/tool /usr/local/bin/tool
)");
    CHECK(b->ok);
    const auto* f = file(*b, "/usr/local/bin/tool");
    REQUIRE(f);
    CHECK(f->unknown);
    CHECK(f->source.find("line 2") != std::string::npos);
  }

  TEST_CASE("Spring Boot: mvn package, layertools extract, COPY --from the layers") {
    auto ctx = ctx_of({{"pom.xml", kPom}, {"src/main/java/App.java", std::string(3000, 'j')}});
    auto b = sim_build(R"(FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml .
COPY src ./src
RUN mvn -B package -DskipTests
RUN cp target/*.jar application.jar && java -Djarmode=layertools -jar application.jar extract
FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /app/dependencies/ ./
COPY --from=build /app/spring-boot-loader/ ./
COPY --from=build /app/snapshot-dependencies/ ./
COPY --from=build /app/application/ ./
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
)",
                       &ctx);
    CHECK(b->ok);
    CHECK_FALSE(has_error(*b));
    CHECK_FALSE(has_diag(*b, "build/source-unverified"));  // modelled, not guessed
    CHECK(b->size_bytes > 18'000'000);
  }

  TEST_CASE("jar -xf ../*.jar and COPY --from BOOT-INF (the classic Spring guide)") {
    auto ctx = ctx_of({{"pom.xml", kPom}, {"src/main/java/App.java", std::string(3000, 'j')}});
    auto b = sim_build(R"(FROM eclipse-temurin:17-jdk-alpine AS build
WORKDIR /workspace/app
COPY pom.xml .
COPY src src
RUN mvn install -DskipTests
RUN mkdir -p target/dependency && (cd target/dependency; jar -xf ../*.jar)
FROM eclipse-temurin:17-jdk-alpine
ARG DEPENDENCY=/workspace/app/target/dependency
COPY --from=build ${DEPENDENCY}/BOOT-INF/lib /app/lib
COPY --from=build ${DEPENDENCY}/META-INF /app/META-INF
COPY --from=build ${DEPENDENCY}/BOOT-INF/classes /app
)",
                       &ctx);
    CHECK(b->ok);
    CHECK_FALSE(has_error(*b));
    CHECK(file(*b, "/app/lib"));
  }

  TEST_CASE("dotnet publish with -a $TARGETARCH --self-contained false, then COPY --from=build /app") {
    auto ctx = ctx_of({{"App.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><PropertyGroup><TargetFramework>net8.0"
                                      "</TargetFramework></PropertyGroup></Project>\n"},
                       {"Program.cs", std::string(2000, 'c')}});
    auto b = sim_build(R"(FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
ARG TARGETARCH
WORKDIR /source
COPY *.csproj .
RUN dotnet restore -a $TARGETARCH
COPY . .
RUN dotnet publish -c release -o /app -a $TARGETARCH --self-contained false --no-restore
FROM mcr.microsoft.com/dotnet/aspnet:8.0
WORKDIR /app
COPY --from=build /app .
ENTRYPOINT ["./App"]
)",
                       &ctx);
    CHECK(b->ok);
    CHECK_FALSE(has_error(*b));
    CHECK(file(*b, "/app/App.dll"));
  }

  TEST_CASE("zip, cargo --target wasm32-wasi and a curl | bash installer, each followed by COPY --from") {
    auto ctx = ctx_of({{"Cargo.toml", "[package]\nname = \"hello\"\n"}, {"src/main.rs", "fn main() {}\n"}});
    auto b = sim_build(R"(FROM rust:1.79 AS build
WORKDIR /src
COPY . .
RUN cargo build --target wasm32-wasi --release
RUN mkdir /dist && cp target/wasm32-wasi/release/hello.wasm /dist/ && zip -r /app.zip /dist
RUN curl -sSf https://wasmtime.dev/install.sh | bash && /root/.wasmtime/bin/wasmtime compile /dist/hello.wasm -o /dist/hello.cwasm
FROM alpine:3.20
COPY --from=build /app.zip /app.zip
COPY --from=build /src/target/wasm32-wasi/release/hello.wasm /hello.wasm
COPY --from=build /dist/hello.cwasm /hello.cwasm
COPY --from=build /root/.wasmtime/bin/wasmtime /usr/local/bin/
)",
                       &ctx);
    CHECK(b->ok);
    CHECK_FALSE(has_error(*b));
    CHECK(file(*b, "/app.zip"));
    CHECK_FALSE(file(*b, "/app.zip")->unknown);
    CHECK(file(*b, "/hello.wasm"));
    REQUIRE(file(*b, "/hello.cwasm"));
    CHECK(file(*b, "/hello.cwasm")->unknown);  // written by the installed tool: unknown
    REQUIRE(file(*b, "/usr/local/bin/wasmtime"));
    CHECK(file(*b, "/usr/local/bin/wasmtime")->unknown);
  }

  TEST_CASE("cache: an unknown step's outputs change when its inputs change") {
    auto ctx1 = ctx_of({{"in.txt", "one"}});
    auto ctx2 = ctx_of({{"in.txt", "two"}});
    const char* df = R"(FROM alpine:3.20 AS build
COPY in.txt /src/in.txt
RUN some-vendor-tool /src/in.txt -o /out/result.bin
FROM alpine:3.20
COPY --from=build /out/result.bin /result.bin
)";
    auto a = sim_build(df, &ctx1);
    auto a2 = sim_build(df, &ctx1);
    auto b = sim_build(df, &ctx2);
    REQUIRE(a->ok);
    REQUIRE(b->ok);
    const auto& copy_a = step_at_line(*a, 5);
    const auto& copy_a2 = step_at_line(*a2, 5);
    const auto& copy_b = step_at_line(*b, 5);
    CHECK(copy_a.key == copy_a2.key);  // same inputs: the same key
    CHECK(copy_a.key != copy_b.key);   // the unknown step's input changed: so did its output
  }

  TEST_CASE("system files of the base image are not modelled file by file: CA certificates, zoneinfo") {
    auto b = sim_build(R"(FROM golang:1.22-alpine AS build
RUN apk add --no-cache ca-certificates tzdata
FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
COPY --from=build /usr/share/zoneinfo /usr/share/zoneinfo
)");
    CHECK(b->ok);
    CHECK(has_diag(*b, "build/source-unverified"));
    const auto* crt = file(*b, "/etc/ssl/certs/ca-certificates.crt");
    REQUIRE(crt);
    CHECK(crt->unknown);
    CHECK(crt->type == sim::NodeType::File);
    REQUIRE(file(*b, "/usr/share/zoneinfo"));
    CHECK(file(*b, "/usr/share/zoneinfo")->unknown);
    // A project path missing from a fully modelled stage stays an error, and so does anything
    // from a scratch stage.
    auto p = sim_build("FROM golang:1.22-alpine AS build\nWORKDIR /src\nRUN mkdir out\nFROM scratch\n"
                       "COPY --from=build /src/out/server /server\n");
    CHECK_FALSE(p->ok);
    auto s = sim_build("FROM scratch AS files\nFROM alpine:3.20\nCOPY --from=files /etc/motd /etc/motd\n");
    CHECK_FALSE(s->ok);
  }

  TEST_CASE("a wildcard COPY --from after an unmodelled build: the named file is unknown, not silently absent") {
    auto b = sim_build(R"(FROM eclipse-temurin:21-jdk AS build
WORKDIR /app
RUN custom-build --release
FROM eclipse-temurin:21-jre
COPY --from=build /app/target/*.jar /app.jar
)");
    CHECK(b->ok);
    REQUIRE(file(*b, "/app.jar"));
    CHECK(file(*b, "/app.jar")->unknown);
    // Without an unmodelled step a wildcard matching nothing copies nothing (oracle case 035).
    auto c = sim_build("FROM alpine:3.20 AS build\nRUN mkdir /out\nFROM alpine:3.20\nCOPY --from=build /out/*.jar /app.jar\n");
    CHECK(c->ok);
    CHECK_FALSE(file(*c, "/app.jar"));
  }
}

