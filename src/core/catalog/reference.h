// Image references as Docker and BuildKit parse them (github.com/distribution/reference,
// ParseNormalizedNamed + TagNameOnly): optional registry host, repository path, tag, digest.
//
//   node:20                       -> docker.io/library/node:20
//   myorg/app                     -> docker.io/myorg/app:latest
//   gcr.io/distroless/static      -> gcr.io/distroless/static:latest
//   localhost:5000/x@sha256:<64>  -> localhost:5000/x@sha256:<64> (a digest alone gets no tag)
//
// `scratch` is not a reference at all for BuildKit (FROM scratch is the empty image); the parser
// treats it like any other name and callers check is_scratch_literal() first.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace dfplay::catalog {

struct ImageReference {
  std::string domain;  // registry host, "docker.io" for Docker Hub (may carry a port)
  std::string path;    // repository path, "library/node" for official images
  std::string tag;     // as written; empty when none was given
  std::string digest;  // "sha256:<hex>" as written; empty when none was given

  // Docker's TagNameOnly: a reference with neither tag nor digest means ":latest".
  bool tag_defaulted() const { return tag.empty() && digest.empty(); }
  // The tag used to resolve the image: the written tag, or "latest" when defaulted,
  // or "" for a digest-only reference.
  std::string effective_tag() const;

  std::string name() const;            // "docker.io/library/node"
  std::string familiar_name() const;   // "node", "myorg/app", "gcr.io/distroless/static"
  // Fully qualified, tag defaulted: "docker.io/library/node:20", "docker.io/library/x:latest",
  // "docker.io/library/x@sha256:..." (digest-only), "docker.io/library/x:1@sha256:...".
  std::string canonical() const;
  // What `docker images` shows: "node:20", "myorg/app:latest", "gcr.io/distroless/static:nonroot".
  std::string familiar() const;
  // The last path component ("node", "static", "sdk").
  std::string_view basename() const;
};

// Parses like ParseNormalizedNamed. On failure returns nullopt and, if `error` is given, sets it
// to Docker's message (e.g. "invalid reference format", "invalid reference format: repository
// name (library/Node) must be lowercase", "invalid checksum digest length"). BuildKit reports
// FROM failures as `failed to parse stage name "X": <message>`.
std::optional<ImageReference> parse_reference(std::string_view text, std::string* error = nullptr);

// True for the exact word `scratch` (BuildKit compares the expanded FROM name with "scratch").
inline bool is_scratch_literal(std::string_view text) { return text == "scratch"; }

// Platforms: normalised like containerd ("linux/arm64/v8" -> "linux/arm64", "amd64" ->
// "linux/amd64", "aarch64" -> "linux/arm64", "arm" -> "linux/arm/v7", "x86_64" -> "linux/amd64").
// Returns "" when the text is not a platform.
std::string normalize_platform(std::string_view text);

}  // namespace dfplay::catalog
