// Figures used by the RUN effect models, with where they come from. docs/effects.md has the
// same table; keep both in sync. "researched" figures come from
// ../shared/catalog/base-images-and-artifacts.md (which cites its sources); "dfplay estimate"
// marks our own rough numbers (labelled estimated in every result).
#pragma once
#include <cstdint>

namespace dfplay::sim::fig {

inline constexpr double kMB = 1e6;
inline constexpr double kMiB = 1048576.0;

struct Figure {
  double value;
  const char* source;
};

// ---- Node.js ----
inline constexpr Figure npm_dep_default{
    2.6 * kMB,
    "dfplay estimate: ~2.6 MB per direct dependency incl. its own dependencies, calibrated on "
    "immich-public-proxy (8 production dependencies -> node_modules 21.1 MB, "
    "alangrainger/immich-public-proxy PR#100)"};
inline constexpr Figure npm_types_dep{0.5 * kMB, "dfplay estimate: @types/* packages are small"};
inline constexpr Figure npm_typescript{
    22 * kMB,
    "typescript 4.0.3 52 MB, 4.5.4 61 MB; 5.x ~35% smaller, ~20-25 MB for 5.4+ (estimate; "
    "microsoft/TypeScript#27891, #23339)"};
inline constexpr Figure npm_npm{19 * kMB, "npm itself: 19 MB (npm 11.19, measured)"};
inline constexpr Figure npm_cache_ratio{
    0.45, "~/.npm cache: ~30-60% of node_modules (estimate; mozilla/page-metadata-service PR#117)"};
inline constexpr Figure npm_fixed_s{2.0, "dfplay estimate: npm start-up + resolution"};
inline constexpr Figure npm_s_per_mb_cold{0.12, "dfplay estimate: ~8 MB/s download + extract"};
inline constexpr Figure npm_s_per_mb_warm{0.03, "dfplay estimate: extract from a warm cache"};
inline constexpr Figure pnpm_store_ratio{
    0.05, "dfplay estimate: pnpm hard-links node_modules to its store, one copy per layer"};
inline constexpr Figure web_bundle_per_dep{
    0.15 * kMB, "dfplay estimate: bundled production code per runtime dependency"};
inline constexpr Figure next_build_base{
    25 * kMB, "dfplay estimate: .next server + static output of a small Next.js app"};
inline constexpr Figure js_build_fixed_s{4.0, "dfplay estimate: bundler/compiler start-up"};

// ---- Go ----
inline constexpr Figure go_module{
    4 * kMB,
    "dfplay estimate: ~4 MB per module in go.mod, calibrated on github/github-mcp-server "
    "(go mod download -> 186 MB module cache, PR#208)"};
inline constexpr Figure go_binary_base{
    6.46 * kMB * 1.07,
    "Go hello net/http, CGO_ENABLED=0: 6.46 MB with go1.19.8 (measured); Go 1.22 +5-10% "
    "(estimate)"};
inline constexpr Figure go_binary_per_dep{0.5 * kMB, "dfplay estimate: per direct dependency"};
inline constexpr Figure go_strip_ratio{
    4.47 / 6.46, "-ldflags \"-s -w\": 4.47 MB instead of 6.46 MB (measured, go1.19.8)"};
inline constexpr Figure go_build_cache{
    73 * kMB, "Go build cache (/root/.cache/go-build) after the hello build: 73 MB (measured)"};
inline constexpr Figure go_build_cache_per_module{
    3 * kMB, "dfplay estimate: build cache per required module"};
inline constexpr Figure go_mod_s_per_module_cold{0.6, "dfplay estimate"};
inline constexpr Figure go_build_s_cold{12.0, "dfplay estimate: standard library compile"};
inline constexpr Figure go_build_s_per_module{1.0, "dfplay estimate"};
inline constexpr Figure go_build_s_warm{2.0, "dfplay estimate: warm build cache"};

// ---- Python ----
inline constexpr Figure pip_default{
    3 * kMB,
    "dfplay estimate: ~3 MB per requirement, between requests 3.2 MB and flask 4.9 MB with "
    "their dependencies (measured, py3.11)"};
inline constexpr Figure pip_flask{4.9 * kMB, "flask with dependencies: 4.9 MB (measured, py3.11)"};
inline constexpr Figure pip_requests{3.2 * kMB, "requests with dependencies: 3.2 MB (measured)"};
inline constexpr Figure pip_numpy{
    75 * kMB, "numpy: ~60-90 MB installed, wheel ~16-20 MB (estimate; bundled OpenBLAS)"};
inline constexpr Figure pip_cache_ratio{
    0.3, "pip cache ~= wheel sizes (~30% of installed size; numpy 16-20 MB wheel vs 60-90 MB)"};
inline constexpr Figure python_venv{
    12 * kMB, "dfplay estimate: a fresh venv with pip (~10-12 MB installed)"};
inline constexpr Figure pip_fixed_s{2.0, "dfplay estimate"};
inline constexpr Figure pip_s_per_mb_cold{0.2, "dfplay estimate"};
inline constexpr Figure pip_s_per_mb_warm{0.05, "dfplay estimate"};

// ---- OS packages ----
inline constexpr Figure apk_default{
    3 * kMiB, "dfplay estimate: an average Alpine package with its dependencies"};
inline constexpr Figure apk_index{
    2 * kMB, "apk index cache without --no-cache: ~2 MB (alphagov/pay-connector PR#833)"};
inline constexpr Figure apt_default{
    5 * kMiB, "dfplay estimate: an average Debian package with its dependencies"};
inline constexpr Figure apt_lists{
    20 * kMB,
    "apt lists left without rm -rf /var/lib/apt/lists/*: ~20 MB (bookworm, gzip-compressed "
    "indexes as in Docker's Debian images)"};
inline constexpr Figure apt_recommends_factor{
    1.5, "dfplay estimate: without --no-install-recommends (figures are without recommends)"};
inline constexpr Figure apt_update_s{5.0, "dfplay estimate"};
inline constexpr Figure pkg_fixed_s{1.5, "dfplay estimate"};
inline constexpr Figure pkg_s_per_mb{0.06, "dfplay estimate"};

// ---- .NET ----
inline constexpr Figure dotnet_app{
    1.4 * kMB,
    "dotnet publish framework-dependent minimal API: ~1-2 MB (dotnet-docker image size "
    "reports)"};
inline constexpr Figure dotnet_self_contained{
    95 * kMB, "self-contained untrimmed: ~95-100 MB (estimate: runtime + aspnet ~93 MB + app)"};
inline constexpr Figure dotnet_trimmed{27 * kMB, "self-contained trimmed: ~27 MB (dotnet-docker)"};
inline constexpr Figure dotnet_aot{15 * kMB, "native AOT: ~15 MB (dotnet-docker)"};
inline constexpr Figure nuget_package{
    5 * kMB, "dfplay estimate: a NuGet package in ~/.nuget/packages (several target frameworks)"};
inline constexpr Figure nuget_dll{0.5 * kMB, "dfplay estimate: a package's runtime assembly"};
inline constexpr Figure dotnet_restore_s{8.0, "dfplay estimate"};
inline constexpr Figure dotnet_publish_s{15.0, "dfplay estimate"};

// ---- Rust, JVM ----
inline constexpr Figure cargo_target_base{
    300 * kMB, "Rust target/ dir: ~0.3-1 GB (estimate)"};
inline constexpr Figure cargo_target_per_dep{10 * kMB, "dfplay estimate"};
inline constexpr Figure cargo_binary{
    10 * kMB,
    "Rust release binary of a small server: ~5-15 MB unstripped, ~2-6 MB stripped (estimate; "
    "LukeMathWalker/zero-to-production#42, psibi/rucredstash#8)"};
inline constexpr Figure cargo_registry_per_dep{1.5 * kMB, "dfplay estimate"};
inline constexpr Figure cargo_s_per_dep{3.0, "dfplay estimate"};
inline constexpr Figure maven_plugins{
    40 * kMB, "dfplay estimate: Maven's own plugins in ~/.m2 for a package build"};
inline constexpr Figure maven_dep{3 * kMB, "dfplay estimate: per declared dependency in ~/.m2"};
inline constexpr Figure wasm_module{
    2 * kMB, "dfplay estimate: a release wasm32 module of a small Rust crate (~0.5-5 MB before wasm-opt)"};
inline constexpr Figure spring_boot_jar{
    20 * kMB, "dfplay estimate: a Spring Boot fat jar of a small web app"};
inline constexpr Figure gradle_home{
    150 * kMB, "dfplay estimate: Gradle wrapper distribution + caches in ~/.gradle"};

// ---- downloads and misc ----
inline constexpr Figure download_default{
    10 * kMB, "dfplay estimate: unknown download size"};
inline constexpr Figure git_clone_default{10 * kMB, "dfplay estimate: unknown repository size"};
inline constexpr Figure git_clone_shallow{3 * kMB, "dfplay estimate: shallow clone"};
inline constexpr Figure tar_gz_ratio{2.5, "dfplay estimate: expansion of a gzip tarball"};
inline constexpr Figure home_skeleton{
    4 * 1024, "dfplay estimate: /etc/skel dotfiles copied into a new home"};

}  // namespace dfplay::sim::fig
