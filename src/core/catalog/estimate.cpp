// Estimates for references that are not in the catalog. Strategies, in order (docs/catalog.md):
//   1. Windows images (nanoserver, servercore, ltsc words in the name or tag)
//   2. same repository, another tag        python:3.13-slim        -> python:3.12-slim
//   3. sibling repository, similar name    gcr.io/distroless/java17-debian12 -> java21-debian12
//   4. family from the name                myorg/node-app:1.2-alpine -> node:22-alpine
//   5. variant from the tag alone          myorg/svc:1.0-alpine    -> alpine:3.21
//   6. a generic Linux image
// Inside a repository the candidate tag is chosen by variant words (alpine, slim, jre...) first,
// then by version distance; without a version the newest version wins.
#include <algorithm>
#include <cstdlib>

#include "catalog/detail.h"

namespace dfplay::catalog::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::vector<int> parse_version(std::string_view s) {
  std::vector<int> v;
  int cur = 0;
  bool any = false;
  for (char c : s) {
    if (is_digit(c)) {
      if (cur < 100000) cur = cur * 10 + (c - '0');
      any = true;
    } else if (c == '.' && any) {
      v.push_back(cur);
      cur = 0;
      any = false;
      if (v.size() >= 4) return v;
    } else {
      break;
    }
  }
  if (any) v.push_back(cur);
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Strips trailing digits and dots: "alpine3.20" -> "alpine", "nodejs22" -> "nodejs".
std::string strip_number(std::string_view word) {
  size_t end = word.size();
  while (end > 0 && (is_digit(word[end - 1]) || word[end - 1] == '.')) --end;
  if (end == 0) return std::string(word);
  return std::string(word.substr(0, end));
}

bool is_channel_word(std::string_view w) {
  return w == "latest" || w == "stable" || w == "lts" || w == "current" || w == "mainline";
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TagInfo analyze_tag(std::string_view tag) {
  TagInfo info;
  std::string t = lower(tag);
  std::string_view rest = t;
  bool have_version = false;
  while (!rest.empty()) {
    size_t dash = rest.find_first_of("-_");
    std::string_view word = rest.substr(0, dash);
    rest = dash == std::string_view::npos ? std::string_view() : rest.substr(dash + 1);
    if (word.empty()) continue;
    if (is_digit(word.front())) {
      if (!have_version) {
        info.version = parse_version(word);
        have_version = !info.version.empty();
      }
      continue;
    }
    std::string w = strip_number(word);
    if (is_channel_word(w) || contains(info.tokens, w)) continue;
    info.tokens.push_back(w);
    if (info.tokens.size() >= 16) break;
  }
  return info;
}

std::vector<std::string> name_tokens(std::string_view name) {
  std::vector<std::string> out;
  std::string n = lower(name);
  size_t start = 0;
  for (size_t i = 0; i <= n.size(); ++i) {
    if (i == n.size() || n[i] == '/' || n[i] == '.' || n[i] == '_' || n[i] == '-') {
      if (i > start) {
        std::string w = strip_number(std::string_view(n).substr(start, i - start));
        if (!w.empty() && !is_digit(w.front()) && !contains(out, w)) out.push_back(w);
      }
      start = i + 1;
      if (out.size() >= 32) break;
    }
  }
  return out;
}

namespace {

constexpr long kUnknownDistance = 1000000;

long version_distance(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.empty() || b.empty()) return kUnknownDistance;
  long weights[] = {10000, 100, 1, 0};
  long d = 0;
  for (size_t i = 0; i < 4 && i < a.size() && i < b.size(); ++i)
    d += std::min<long>(std::labs(long(a[i]) - long(b[i])), 99) * weights[i];
  return d;
}

bool version_less(const std::vector<int>& a, const std::vector<int>& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

struct Pick {
  const Image* image = nullptr;
  std::string tag;
  int score = 0;
};

// Chooses the best candidate tag for the wanted variant words and version. `newest` prefers
// the highest version when the request has none.
Pick pick(const std::vector<Catalog::Candidate>& candidates, const std::vector<std::string>& want,
          const std::vector<int>& version) {
  Pick best;
  long best_distance = 0;
  std::vector<int> best_version;
  for (const auto& c : candidates) {
    TagInfo info = analyze_tag(c.tag);
    int score = 0;
    for (const auto& w : want) score += contains(info.tokens, w) ? 10 : -3;
    for (const auto& t : info.tokens)
      if (!contains(want, t)) score -= 8;
    long distance = version.empty() ? 0 : version_distance(version, info.version);
    bool better = false;
    if (!best.image || score > best.score) {
      better = true;
    } else if (score == best.score) {
      if (!version.empty()) {
        better = distance < best_distance;
      } else {
        better = version_less(best_version, info.version);  // newest wins
      }
    }
    if (better) {
      best = {c.image, c.tag, score};
      best_distance = distance;
      best_version = info.version;
    }
  }
  return best;
}

struct FamilyRule {
  std::string_view family;
  std::initializer_list<std::string_view> words;
  std::string_view repository;
};

// Name words -> the repository whose images stand in for the family. The first word of the
// last path component is tried first, then the other words.
const FamilyRule kFamilies[] = {
    {"node", {"node", "nodejs", "npm", "next", "nextjs", "nuxt", "express"}, "docker.io/library/node"},
    {"python", {"python", "py", "django", "flask", "fastapi", "pip"}, "docker.io/library/python"},
    {"golang", {"golang", "go"}, "docker.io/library/golang"},
    {"rust", {"rust", "rustlang", "cargo"}, "docker.io/library/rust"},
    {"maven", {"maven", "mvn"}, "docker.io/library/maven"},
    {"gradle", {"gradle"}, "docker.io/library/gradle"},
    {"java", {"java", "jdk", "jre", "openjdk", "temurin", "jvm", "spring", "springboot", "adoptopenjdk"},
     "docker.io/library/eclipse-temurin"},
    {"dotnet-sdk", {"sdk"}, "mcr.microsoft.com/dotnet/sdk"},
    {"dotnet", {"dotnet", "aspnet", "aspnetcore", "netcore", "csharp"}, "mcr.microsoft.com/dotnet/aspnet"},
    {"nginx", {"nginx", "openresty"}, "docker.io/library/nginx"},
    {"httpd", {"httpd", "apache", "apache2"}, "docker.io/library/httpd"},
    {"redis", {"redis", "valkey"}, "docker.io/library/redis"},
    {"postgres", {"postgres", "postgresql", "pg", "postgis"}, "docker.io/library/postgres"},
    {"php", {"php", "laravel", "symfony"}, "docker.io/library/php"},
    {"ruby", {"ruby", "rails"}, "docker.io/library/ruby"},
    {"caddy", {"caddy"}, "docker.io/library/caddy"},
    {"distroless", {"distroless"}, "gcr.io/distroless/base-debian12"},
    {"wolfi", {"wolfi", "chainguard"}, "cgr.dev/chainguard/wolfi-base"},
    {"alpine", {"alpine"}, "docker.io/library/alpine"},
    {"debian", {"debian"}, "docker.io/library/debian"},
    {"ubuntu", {"ubuntu"}, "docker.io/library/ubuntu"},
    {"busybox", {"busybox"}, "docker.io/library/busybox"},
};

// Tag words -> an OS base, when nothing else is known.
struct VariantRule {
  std::string_view word;
  std::string_view repository;
  std::initializer_list<std::string_view> want;
};
const VariantRule kVariants[] = {
    {"alpine", "docker.io/library/alpine", {}},
    {"musl", "docker.io/library/alpine", {}},
    {"distroless", "gcr.io/distroless/base-debian12", {}},
    {"chiseled", "mcr.microsoft.com/dotnet/runtime-deps", {"jammy", "chiseled"}},
    {"wolfi", "cgr.dev/chainguard/wolfi-base", {}},
    {"busybox", "docker.io/library/busybox", {}},
    {"noble", "docker.io/library/ubuntu", {"noble"}},
    {"jammy", "docker.io/library/ubuntu", {"jammy"}},
    {"focal", "docker.io/library/ubuntu", {"jammy"}},
    {"ubuntu", "docker.io/library/ubuntu", {}},
    {"slim", "docker.io/library/debian", {"bookworm", "slim"}},
    {"bookworm", "docker.io/library/debian", {"bookworm"}},
    {"bullseye", "docker.io/library/debian", {"bookworm"}},
    {"buster", "docker.io/library/debian", {"bookworm"}},
    {"trixie", "docker.io/library/debian", {"bookworm"}},
    {"debian", "docker.io/library/debian", {"bookworm"}},
};

// Rewrites "python:3.12-slim" to "python:3.13-slim" when the template tag starts with the
// template's version and the request has another version.
std::vector<std::string> retarget(const std::vector<std::string>& refs, const std::string& repo,
                                  const std::string& from_prefix, const std::string& to_prefix) {
  std::vector<std::string> out;
  for (const auto& s : refs) {
    auto r = parse_reference(s);
    if (r && r->name() == repo && !from_prefix.empty() && !to_prefix.empty() &&
        r->tag.substr(0, from_prefix.size()) == from_prefix) {
      r->tag = to_prefix + r->tag.substr(from_prefix.size());
      out.push_back(r->familiar());
    } else {
      out.push_back(s);
    }
  }
  return out;
}

std::string version_prefix(std::string_view tag) {
  size_t end = 0;
  while (end < tag.size() && (is_digit(tag[end]) || tag[end] == '.')) ++end;
  return std::string(tag.substr(0, end));
}

void adopt(Resolution& r, Match match, const Pick& p, const std::string& why) {
  const Image& t = *p.image;
  r.match = match;
  r.template_reference = t.reference;
  Image img = t;
  img.reference = r.ref.familiar();
  img.ref = r.ref;
  img.aliases.clear();
  img.origin = Origin::Estimate;
  img.description = "estimate based on " + t.reference + (t.description.empty() ? "" : ": " + t.description);
  img.digest = synthetic_digest(r.ref.canonical(), "estimate from " + t.reference);
  for (auto& [figure, source] : img.sources)
    source = "estimate: copied from " + t.reference + " (" + source + ")";
  for (auto& d : img.directories) d.source = "estimate: copied from " + t.reference + " (" + d.source + ")";
  if (match == Match::SameRepository) {
    std::string from = version_prefix(p.tag), to = version_prefix(r.ref.effective_tag());
    img.slimmer = retarget(t.slimmer, t.ref.name(), from, to);
    img.version = to.empty() ? std::string() : to;
    // A deprecation (end of life) is about that major version only.
    auto vf = parse_version(from), vt = parse_version(to);
    if (!vf.empty() && !vt.empty() && vf.front() != vt.front()) img.deprecated.clear();
  } else {
    img.slimmer.clear();
    img.version.clear();
    img.deprecated.clear();
  }
  r.image = std::move(img);
  r.reason = r.ref.familiar() + " is not in the catalog; estimated from " + t.reference + " (" + why + ")";
}

Image windows_image(const ImageReference& ref, bool nano) {
  Image img;
  img.reference = ref.familiar();
  img.ref = ref;
  img.family = "windows";
  img.role = Role::Os;
  img.os = "windows";
  img.os_version = nano ? "nanoserver" : "servercore";
  img.libc = "none";
  img.platforms = {"windows/amd64"};
  // Orders of magnitude only: Nano Server is a few hundred MB, Server Core several GB.
  img.compressed_size = nano ? 120000000 : 1600000000;
  img.uncompressed_size = nano ? 300000000 : 4500000000;
  img.shells = nano ? std::vector<std::string>{"cmd.exe"}
                    : std::vector<std::string>{"cmd.exe", "powershell.exe"};
  img.package_manager = "none";
  img.config.user = nano ? "ContainerUser" : "ContainerAdministrator";
  img.tools = nano ? std::vector<std::string>{} : std::vector<std::string>{"pwsh"};
  const std::string how = nano ? "estimate: typical Nano Server base (~120 MB pulled, ~300 MB on disk), not measured"
                               : "estimate: typical Server Core base (~1.6 GB pulled, ~4.5 GB on disk), not measured";
  img.sources = {{"compressed", how}, {"uncompressed", how},
                 {"platforms", "estimate: Windows container images are windows/amd64"},
                 {"config", "estimate: default users of Windows base images (ContainerUser / ContainerAdministrator)"}};
  img.description = "estimate for a Windows container image";
  img.origin = Origin::Estimate;
  img.digest = synthetic_digest(ref.canonical(), "estimate windows");
  return img;
}

}  // namespace

Image generic_image(const ImageReference& ref) {
  Image img;
  img.reference = ref.familiar();
  img.ref = ref;
  img.description = "generic Linux image (nothing is known about this reference)";
  img.family = "unknown";
  img.role = Role::Unknown;
  img.os = "unknown";
  img.libc = "unknown";
  img.compressed_size = 45000000;
  img.uncompressed_size = 120000000;
  img.shell = "/bin/sh";
  img.shells = {"/bin/sh"};
  img.package_manager = "unknown";
  img.config.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};
  const std::string how =
      "estimate: generic image; 120 MB on disk and 45 MB pulled are in the middle of the "
      "built-in catalog's runtime images (python:3.12-slim 124 MB, debian:bookworm 117 MB)";
  img.sources = {{"compressed", how},
                 {"uncompressed", how},
                 {"platforms", "estimate: unknown, treated as available for every platform"},
                 {"config", "estimate: Docker's defaults (root, /, the standard PATH) and a /bin/sh shell"}};
  img.origin = Origin::Estimate;
  img.digest = synthetic_digest(ref.canonical(), "estimate generic");
  return img;
}

Image empty_image() {
  Image img;
  img.reference = "scratch";
  img.ref.path = "scratch";
  img.description = "the empty image";
  img.family = "scratch";
  img.role = Role::Empty;
  img.os = "scratch";
  img.libc = "none";
  img.package_manager = "none";
  img.sources = {{"compressed", "scratch is empty"},
                 {"uncompressed", "scratch is empty"},
                 {"platforms", "scratch has no manifest; it takes the target platform"},
                 {"config", "scratch has no config"}};
  img.digest = synthetic_digest("scratch", "");
  return img;
}

void estimate(const Catalog& cat, Resolution& r) {
  const ImageReference& ref = r.ref;
  TagInfo tag = analyze_tag(ref.effective_tag());
  std::vector<std::string> words = name_tokens(ref.path);

  // `FROM scratch:latest` or `FROM docker.io/library/scratch` is not the empty image.
  if (ref.name() == "docker.io/library/scratch") {
    r.match = Match::Generic;
    r.image = empty_image();
    r.image.reference = ref.familiar();
    r.image.ref = ref;
    r.reason = ref.familiar() + " is not the empty image: only the exact word `scratch` is";
    r.warnings.push_back("only `FROM scratch` means the empty image; " + ref.familiar() +
                         " would be pulled from Docker Hub, where it does not exist");
    return;
  }

  // 1. Windows (before the repository: aspnet:8.0-nanoserver-ltsc2022 is not a Linux image).
  {
    std::vector<std::string> all = words;
    for (const auto& t : tag.tokens) all.push_back(t);
    bool nano = contains(all, "nanoserver");
    bool core = contains(all, "servercore") || contains(all, "windowsservercore") ||
                contains(all, "windows") || contains(all, "ltsc");
    if (nano || core) {
      r.match = Match::Variant;
      r.image = windows_image(ref, nano);
      r.reason = ref.familiar() + " is not in the catalog; estimated as a Windows " +
                 (nano ? "Nano Server" : "Server Core") + " image";
      return;
    }
  }

  // 2. Same repository.
  if (auto cands = cat.in_repository(ref.name()); !cands.empty()) {
    Pick p = pick(cands, tag.tokens, tag.version);
    if (p.image) {
      adopt(r, Match::SameRepository, p, "same repository, closest tag");
      return;
    }
  }

  // 3. Sibling repository: same registry and namespace, similar last path component.
  {
    std::string name = ref.name();
    size_t slash = name.rfind('/');
    std::string parent = name.substr(0, slash + 1);
    std::vector<std::string> mine = name_tokens(ref.basename());
    auto generic_word = [](std::string_view w) {
      return w == "debian" || w == "ubuntu" || w == "alpine" || w == "library";
    };
    int best_overlap = 0;
    std::string best_repo;
    if (parent != "docker.io/library/" && slash != std::string::npos) {
      for (const auto& repo : cat.repositories()) {
        if (repo.size() <= parent.size() || repo.compare(0, parent.size(), parent) != 0) continue;
        if (repo.find('/', parent.size()) != std::string::npos) continue;
        std::vector<std::string> theirs = name_tokens(std::string_view(repo).substr(parent.size()));
        int overlap = 0;
        bool meaningful = false;
        for (const auto& w : mine)
          if (contains(theirs, w)) {
            ++overlap;
            meaningful = meaningful || !generic_word(w);
          }
        if (meaningful && overlap > best_overlap) {
          best_overlap = overlap;
          best_repo = repo;
        }
      }
    }
    if (!best_repo.empty()) {
      Pick p = pick(cat.in_repository(best_repo), tag.tokens, {});
      if (p.image) {
        adopt(r, Match::SiblingRepository, p, "same registry namespace, similar name");
        return;
      }
    }
  }

  // 4. Family from the name: words of the last path component first.
  {
    std::vector<std::string> ordered = name_tokens(ref.basename());
    for (const auto& w : words)
      if (!contains(ordered, w)) ordered.push_back(w);
    for (const auto& w : ordered) {
      for (const auto& rule : kFamilies) {
        if (std::find(rule.words.begin(), rule.words.end(), w) == rule.words.end()) continue;
        std::string repo(rule.repository);
        // "dotnet" + "sdk" in the name means the SDK.
        if (rule.family == "dotnet" && contains(words, "sdk")) repo = "mcr.microsoft.com/dotnet/sdk";
        if (rule.family == "dotnet-sdk" && !contains(words, "dotnet")) continue;
        auto cands = cat.in_repository(repo);
        if (cands.empty()) continue;
        std::vector<std::string> want = tag.tokens;
        // An application image named after Java most likely runs on a JRE.
        if (rule.family == "java" && want.empty() && !contains(words, "jdk")) want.push_back("jre");
        // When the repository is named after the family itself (openjdk:17, a mirror such as
        // public.ecr.aws/docker/library/node:20) the tag's version is the family's version;
        // otherwise (myorg/node-app:1.2) it is the application's and says nothing.
        auto base_words = name_tokens(ref.basename());
        bool named_after_family = base_words.size() == 1 && base_words.front() == w;
        Pick p = pick(cands, want, named_after_family ? tag.version : std::vector<int>{});
        if (!p.image) continue;
        std::string why = "the name suggests " + std::string(rule.family == "dotnet-sdk" ? "dotnet" : rule.family);
        if (!tag.tokens.empty()) why += ", the tag suggests " + tag.tokens.front();
        adopt(r, Match::Family, p, why);
        if (w == "openjdk")
          r.warnings.push_back("the openjdk images are deprecated (docker-library/openjdk#505); "
                               "eclipse-temurin is the usual replacement");
        return;
      }
    }
  }

  // 5. Variant from the tag alone.
  for (const auto& t : tag.tokens) {
    for (const auto& rule : kVariants) {
      if (rule.word != t) continue;
      auto cands = cat.in_repository(rule.repository);
      if (cands.empty()) continue;
      std::vector<std::string> want(rule.want.begin(), rule.want.end());
      Pick p = pick(cands, want, {});
      if (!p.image) continue;
      adopt(r, Match::Variant, p, "the tag suggests " + t);
      return;
    }
  }

  // 6. Nothing known.
  r.match = Match::Generic;
  r.image = generic_image(ref);
  r.reason = ref.familiar() +
             " is not in the catalog and its name says nothing about its contents; estimated as "
             "a generic Linux image";
}

}  // namespace dfplay::catalog::detail
