#include "checks/rules.h"

#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

using namespace dfplay::checks;

namespace {

// "{}" in a template matches any text (possibly empty).
bool template_matches(std::string_view tmpl, std::string_view msg) {
  size_t star = tmpl.find("{}");
  if (star == std::string_view::npos) return tmpl == msg;
  std::string_view head = tmpl.substr(0, star);
  if (msg.substr(0, head.size()) != head) return false;
  std::string_view rest_t = tmpl.substr(star + 2);
  for (size_t i = head.size(); i <= msg.size(); ++i)
    if (template_matches(rest_t, msg.substr(i))) return true;
  return false;
}

bool matches_rule(RuleId id, std::string_view msg) {
  const Rule& r = rule(id);
  return template_matches(r.message_format, msg) ||
         (!r.message_format_suggest.empty() && template_matches(r.message_format_suggest, msg));
}

}  // namespace

TEST_CASE("checks: the rule table matches BuildKit's ruleset") {
  auto all = rules();
  REQUIRE(all.size() == kRuleCount);
  std::set<std::string_view> names;
  for (size_t i = 0; i < all.size(); ++i) {
    const Rule& r = all[i];
    CAPTURE(r.name);
    CHECK(static_cast<size_t>(r.id) == i);
    CHECK(names.insert(r.name).second);
    CHECK(&rule(r.id) == &r);
    CHECK(find_rule(r.name) == &r);
    CHECK(!r.description.empty());
    CHECK(!r.message_format.empty());
    if (r.id == RuleId::InvalidBaseImagePlatform) {
      CHECK(r.url.empty());
      CHECK(r.slug.empty());
      CHECK(docs_page_url(r.id).empty());
    } else {
      CHECK(r.url == "https://docs.docker.com/go/dockerfile/rule/" + std::string(r.slug) + "/");
      CHECK(docs_page_url(r.id) ==
            "https://docs.docker.com/reference/build-checks/" + std::string(r.slug) + "/");
    }
    CHECK(r.experimental ==
          (r.id == RuleId::CopyIgnoredFile || r.id == RuleId::InvalidDefinitionDescription));
  }
  CHECK(all[0].name == "StageNameCasing");
  CHECK(all[kRuleCount - 1].name == "ExposeInvalidFormat");
  CHECK(find_rule("stagenamecasing") == nullptr);  // names are case-sensitive
  CHECK(find_rule("NoEmptyContinuations") == nullptr);  // the pre-1.8 name
  CHECK(find_rule("") == nullptr);
  CHECK(diagnostic_code(RuleId::UndefinedVar) == "check/UndefinedVar");
  CHECK(rule(RuleId::JSONArgsRecommended).slug == "json-args-recommended");
  CHECK(rule(RuleId::SecretsUsedInArgOrEnv).slug == "secrets-used-in-arg-or-env");
  CHECK(rule(RuleId::InvalidDefinitionDescription).description ==
        "Comment for build stage or argument should follow the format: `# <arg/stage name> "
        "<description>`. If this is not intended to be a description comment, add an empty line "
        "or comment between the instruction and the comment.");
  CHECK(rule(RuleId::ExposeInvalidFormat).description ==
        "IP address and host-port mapping should not be used in EXPOSE instruction. This will "
        "become an error in a future release");
}

TEST_CASE("checks: messages are BuildKit's, word for word") {
  // Expected strings are taken from BuildKit's dockerfile_lint_test.go, its docs pages and
  // real build logs.
  struct Case {
    RuleId id;
    std::string got;
    std::string_view want;
  };
  const Case cases[] = {
      {RuleId::StageNameCasing, msg_stage_name_casing("BadStageName"),
       "Stage name 'BadStageName' should be lowercase"},
      {RuleId::FromAsCasing, msg_from_as_casing("FROM", "as"),
       "'as' and 'FROM' keywords' casing do not match"},
      {RuleId::FromAsCasing, msg_from_as_casing("from", "AS"),
       "'AS' and 'from' keywords' casing do not match"},
      {RuleId::NoEmptyContinuation, msg_no_empty_continuation(), "Empty continuation line"},
      {RuleId::ConsistentInstructionCasing, msg_consistent_instruction_casing("From", false),
       "Command 'From' should match the case of the command majority (uppercase)"},
      {RuleId::ConsistentInstructionCasing, msg_consistent_instruction_casing("COPY", true),
       "Command 'COPY' should match the case of the command majority (lowercase)"},
      {RuleId::DuplicateStageName, msg_duplicate_stage_name("b"),
       "Duplicate stage name \"b\", stage names should be unique"},
      {RuleId::ReservedStageName, msg_reserved_stage_name("context"),
       "Stage name should not use the same name as reserved stage \"context\""},
      {RuleId::JSONArgsRecommended, msg_json_args_recommended("ENTRYPOINT"),
       "JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS "
       "signals"},
      {RuleId::JSONArgsRecommended, msg_json_args_recommended("cmd"),
       "JSON arguments recommended for cmd to prevent unintended behavior related to OS signals"},
      {RuleId::MaintainerDeprecated, msg_maintainer_deprecated(),
       "Maintainer instruction is deprecated in favor of using label"},
      {RuleId::UndefinedArgInFrom, msg_undefined_arg_in_from("BULIDPLATFORM", "BUILDPLATFORM"),
       "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)"},
      {RuleId::UndefinedArgInFrom, msg_undefined_arg_in_from("version"),
       "FROM argument 'version' is not declared"},
      {RuleId::WorkdirRelativePath, msg_workdir_relative_path("app/"),
       "Relative workdir \"app/\" can have unexpected results if the base image changes"},
      {RuleId::UndefinedVar, msg_undefined_var("foo"), "Usage of undefined variable '$foo'"},
      {RuleId::UndefinedVar, msg_undefined_var("DIR_ASSET", "DIR_ASSETS"),
       "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)"},
      {RuleId::MultipleInstructionsDisallowed, msg_multiple_instructions_disallowed("HEALTHCHECK"),
       "Multiple HEALTHCHECK instructions should not be used in the same stage because only the "
       "last one will be used"},
      {RuleId::LegacyKeyValueFormat, msg_legacy_key_value_format("LABEL"),
       "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format"},
      {RuleId::InvalidBaseImagePlatform,
       msg_invalid_base_image_platform("wjdp/htmltest:v0.17.0", "linux/arm64", "linux/amd64"),
       "Base image wjdp/htmltest:v0.17.0 was pulled with platform \"linux/amd64\", expected "
       "\"linux/arm64\" for current build"},
      {RuleId::RedundantTargetPlatform, msg_redundant_target_platform("${TARGETPLATFORM}"),
       "Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the "
       "default behavior"},
      {RuleId::SecretsUsedInArgOrEnv, msg_secrets_used_in_arg_or_env("ENV", "SUPER_Secret"),
       "Do not use ARG or ENV instructions for sensitive data (ENV \"SUPER_Secret\")"},
      {RuleId::InvalidDefaultArgInFrom, msg_invalid_default_arg_in_from("busybox:$VERSION"),
       "Default value for ARG busybox:$VERSION results in empty or invalid base image name"},
      {RuleId::FromPlatformFlagConstDisallowed,
       msg_from_platform_flag_const_disallowed("linux/amd64"),
       "FROM --platform flag should not use constant value \"linux/amd64\""},
      {RuleId::CopyIgnoredFile, msg_copy_ignored_file(false, "Dockerfile"),
       "Attempting to Copy file \"Dockerfile\" that is excluded by .dockerignore"},
      {RuleId::CopyIgnoredFile, msg_copy_ignored_file(true, "Dockerfile"),
       "Attempting to Add file \"Dockerfile\" that is excluded by .dockerignore"},
      {RuleId::InvalidDefinitionDescription, msg_invalid_definition_description("ARG", "foo"),
       "Comment for ARG should follow the format: `# foo <description>`"},
      {RuleId::InvalidDefinitionDescription,
       msg_invalid_definition_description("ARG", "<arg_key>"),
       "Comment for ARG should follow the format: `# <arg_key> <description>`"},
      {RuleId::ExposeProtoCasing, msg_expose_proto_casing("80/TcP"),
       "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase"},
      {RuleId::ExposeInvalidFormat, msg_expose_invalid_format("127.0.0.1:80:80"),
       "EXPOSE instruction should not define an IP address or host-port mapping, found "
       "'127.0.0.1:80:80'"},
  };
  std::set<RuleId> covered;
  for (const auto& c : cases) {
    CAPTURE(rule(c.id).name);
    CHECK(c.got == c.want);
    CHECK(matches_rule(c.id, c.got));
    covered.insert(c.id);
  }
  CHECK(covered.size() == kRuleCount);  // every rule's builder is pinned
  // A message of one rule does not match another rule's template by accident.
  CHECK_FALSE(matches_rule(RuleId::UndefinedVar, msg_undefined_arg_in_from("x")));
}

TEST_CASE("checks: %q arguments are quoted like Go's strconv.Quote, '%s' ones are not") {
  CHECK(msg_duplicate_stage_name("a\"b\\c") ==
        "Duplicate stage name \"a\\\"b\\\\c\", stage names should be unique");
  CHECK(msg_workdir_relative_path("a\tb") ==
        "Relative workdir \"a\\tb\" can have unexpected results if the base image changes");
  CHECK(msg_workdir_relative_path("") ==
        "Relative workdir \"\" can have unexpected results if the base image changes");
  CHECK(msg_copy_ignored_file(false, "caf\xc3\xa9") ==
        "Attempting to Copy file \"caf\xc3\xa9\" that is excluded by .dockerignore");
  CHECK(msg_secrets_used_in_arg_or_env("ARG", "\x01key") ==
        "Do not use ARG or ENV instructions for sensitive data (ARG \"\\x01key\")");
  CHECK(msg_stage_name_casing("a\"B") == "Stage name 'a\"B' should be lowercase");
  CHECK(msg_expose_proto_casing("80/T\"") ==
        "Defined protocol '80/T\"' in EXPOSE instruction should be lowercase");
}

TEST_CASE("checks: lint violation error and the short progress form") {
  std::vector<RuleId> ids{RuleId::FromAsCasing};
  CHECK(msg_lint_violation(ids) == "lint violation found for rules: FromAsCasing");
  ids = {RuleId::UndefinedVar, RuleId::FromAsCasing, RuleId::UndefinedVar};
  CHECK(msg_lint_violation(ids) == "lint violation found for rules: UndefinedVar, FromAsCasing");
  CHECK(format_short("FromAsCasing", msg_from_as_casing("FROM", "as"), 1) ==
        "FromAsCasing: 'as' and 'FROM' keywords' casing do not match (line 1)");
  CHECK(format_short("UndefinedVar", "x", 0) == "UndefinedVar: x");
}

TEST_CASE("checks: casing helpers") {
  CHECK(is_lowercase("from"));
  CHECK_FALSE(is_lowercase("From"));
  CHECK(is_uppercase("FROM"));
  CHECK_FALSE(is_uppercase("FROm"));
  CHECK(is_self_consistent_casing("run"));
  CHECK(is_self_consistent_casing("RUN"));
  CHECK_FALSE(is_self_consistent_casing("Run"));
  CHECK(is_lowercase("a-1.b_c"));
  CHECK(is_uppercase("A-1.B_C"));

  CHECK(stage_name_not_lowercase("BadStageName"));
  CHECK_FALSE(stage_name_not_lowercase("base2"));
  CHECK(stage_name_not_lowercase("\xc3\x89t\xc3\xa9"));  // "Été": Go lowercases É
  CHECK_FALSE(stage_name_not_lowercase("\xc3\xa9t\xc3\xa9"));

  CHECK(from_as_casing_mismatch("FROM", "as"));
  CHECK(from_as_casing_mismatch("FROM", "As"));
  CHECK_FALSE(from_as_casing_mismatch("FROM", "AS"));
  CHECK(from_as_casing_mismatch("from", "AS"));
  CHECK(from_as_casing_mismatch("from", "aS"));
  CHECK_FALSE(from_as_casing_mismatch("from", "as"));
  CHECK_FALSE(from_as_casing_mismatch("From", "as"));  // mixed FROM: not this rule
  CHECK_FALSE(from_as_casing_mismatch("From", "AS"));
}

TEST_CASE("checks: ConsistentInstructionCasing majority (BuildKit's test cases)") {
  auto run = [](std::vector<std::string_view> kws) {
    CasingMajority m;
    for (auto k : kws) m.add(k);
    std::vector<std::string> out;
    for (auto k : kws)
      if (auto msg = m.check(k)) out.push_back(*msg);
    return out;
  };
  // From scratch as base / FROM scratch AS base2
  auto r = run({"From", "FROM"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'From' should match the case of the command majority (uppercase)");
  // FROM scratch / copy / COPY: 2 upper, 1 lower
  r = run({"FROM", "copy", "COPY"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'copy' should match the case of the command majority (uppercase)");
  // frOM / from
  r = run({"frOM", "from"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'frOM' should match the case of the command majority (lowercase)");
  // from / COPY / copy: 2 lower, 1 upper
  r = run({"from", "COPY", "copy"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'COPY' should match the case of the command majority (lowercase)");
  // from / COPY x3
  r = run({"from", "COPY", "COPY", "COPY"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'from' should match the case of the command majority (uppercase)");
  CHECK(run({"from", "copy", "copy"}).empty());
  CHECK(run({"FROM", "COPY", "COPY"}).empty());
  // A tie goes to uppercase.
  r = run({"from", "COPY"});
  REQUIRE(r.size() == 1);
  CHECK(r[0] == "Command 'from' should match the case of the command majority (uppercase)");
  // Mixed keywords are not counted but always reported.
  r = run({"from", "Run", "Copy"});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == "Command 'Run' should match the case of the command majority (lowercase)");
}

TEST_CASE("checks: reserved stage names") {
  CHECK(is_reserved_stage_name("scratch"));
  CHECK(is_reserved_stage_name("context"));
  CHECK_FALSE(is_reserved_stage_name("Scratch"));  // callers pass the lowercased name
  CHECK_FALSE(is_reserved_stage_name("scratch2"));
}

TEST_CASE("checks: SecretsUsedInArgOrEnv keys") {
  // BuildKit's test: reported...
  for (std::string_view k : {"SECRET_PASSPHRASE", "SUPER_Secret", "password", "secret",
                             "super_duper_secret_token", "auth", "apikey", "git_key", "API_KEY",
                             "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "db_PWORD", "x_passwd",
                             "CREDENTIALS", "my_credential_", "_key"}) {
    CAPTURE(k);
    CHECK(is_secret_key(k));
  }
  // ...and not reported.
  for (std::string_view k : {"sunflower", "PUBLIC_KEY", "public_token", "SECRETS", "MY-SECRET",
                             "KEYCLOAK_URL", "tokens", "GPG_KEY_FILE", "TOKEN_VERSION",
                             "file_secret", "", "_", "__", "keyname", "api-key"}) {
    CAPTURE(k);
    CHECK_FALSE(is_secret_key(k));
  }
  // Go's case folding: the Kelvin sign folds to k, the long s to s.
  CHECK(is_secret_key("\xe2\x84\xaa" "ey"));      // "Key" with a Kelvin sign
  CHECK(is_secret_key("\xc5\xbf" "ecret"));       // "ſecret"
  CHECK_FALSE(is_secret_key("\xc3\xa9key"));      // "ékey"
  CHECK(secret_tokens().size() == 10);
  CHECK(secret_allow_tokens().size() == 3);
}

TEST_CASE("checks: Levenshtein distance, bounded") {
  CHECK(levenshtein("", "") == 0);
  CHECK(levenshtein("abc", "abc") == 0);
  CHECK(levenshtein("abc", "abd") == 1);
  CHECK(levenshtein("BULIDPLATFORM", "BUILDPLATFORM") == 2);  // a swap is two edits
  CHECK(levenshtein("PAHT", "PATH") == 2);
  CHECK(levenshtein("DIR_ASSET", "DIR_ASSETS") == 1);
  CHECK(levenshtein("kitten", "sitting") == 3);  // capped at limit + 1
  CHECK(levenshtein("kitten", "sitting", 5) == 3);
  CHECK(levenshtein("a", "abcd") == 3);
  CHECK(levenshtein("h\xc3\xa9llo", "hello") == 1);  // counted in code points
  CHECK(levenshtein("", "ab") == 2);
  CHECK(levenshtein("ab", "") == 2);
  CHECK(levenshtein("abcdef", "ghijkl", 10) == 6);
  // Long inputs stay linear.
  std::string a(200000, 'x'), b(200000, 'x');
  b[100000] = 'y';
  auto t0 = std::chrono::steady_clock::now();
  CHECK(levenshtein(a, b) == 1);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  MESSAGE(ms << " ms");
  // Texts around the length where the rows move from the stack to the heap (64), and the same
  // distances with a non-ASCII text (code points) as with its ASCII twin (bytes).
  for (size_t len : {63, 64, 65, 130}) {
    std::string x(len, 'a'), y(len, 'a');
    y[len / 2] = 'b';
    CHECK(levenshtein(x, y) == 1);
    CHECK(levenshtein(x, y + "cc") == 3);  // over the limit (2): limit + 1
    CHECK(levenshtein(x + "c", y, 5) == 2);
    std::string xu = x, yu = y;
    xu.replace(0, 1, "\xc3\xa9");  // "é" for the first 'a' of each
    yu.replace(0, 1, "\xc3\xa9");
    CHECK(levenshtein(xu, yu) == 1);
    CHECK(levenshtein(xu + "c", yu, 5) == 2);
  }
}

TEST_CASE("checks: suggestions work like BuildKit's suggest.Search") {
  std::vector<std::string> env{"PATH", "DIR_BINARIES", "DIR_ASSETS", "DIR_CONFIG"};
  CHECK(suggest("DIR_ASSET", env) == "DIR_ASSETS");
  CHECK(suggest("PAHT", env) == "PATH");
  CHECK(suggest("foo", env) == "");
  std::vector<std::string> args{"MY_OS", "MY_ARCH", "BUILDARCH", "TARGETARCH"};
  CHECK(suggest("MYARCH", args) == "MY_ARCH");
  std::vector<std::string_view> builtins{"BUILDPLATFORM", "TARGETPLATFORM"};
  CHECK(suggest("BULIDPLATFORM", builtins) == "BUILDPLATFORM");
  // An exact match anywhere cancels the suggestion, even after a close one.
  std::vector<std::string> exact{"fooo", "foo"};
  CHECK(suggest("foo", exact) == "");
  // The first of equally close options wins; a strictly closer one later replaces it.
  std::vector<std::string> ties{"abx", "aby", "abc"};
  CHECK(suggest("abz", ties) == "abx");
  std::vector<std::string> closer{"axx", "abx"};
  CHECK(suggest("abc", closer) == "abx");
  // Case-sensitive by default (BuildKit on Linux)...
  std::vector<std::string> upper{"PATH"};
  CHECK(suggest("path", upper) == "");  // distance 4
  // ...case-insensitive on demand, following the value's casing.
  CHECK(suggest("path", upper, false) == "");  // equal ignoring case: no suggestion
  CHECK(suggest("pth", upper, false) == "path");
  CHECK(suggest("PTH", std::vector<std::string>{"path"}, false) == "PATH");
  CHECK(suggest("Pth", std::vector<std::string>{"PATH"}, false) == "path");
  CHECK(suggest("x", std::vector<std::string>{}) == "");
}

TEST_CASE("checks: InvalidDefinitionDescription (BuildKit's test cases)") {
  using V = std::vector<std::string>;
  CHECK(check_definition_description("ARG", V{"foo"}, V{"foo this is the foo"}) == std::nullopt);
  CHECK(check_definition_description("FROM", V{"base"}, V{"base this is the base image"}) ==
        std::nullopt);
  CHECK(check_definition_description("ARG", V{"foo", "bar", "baz"}, V{"baz this is the baz"}) ==
        std::nullopt);
  CHECK(check_definition_description("ARG", V{"bit"}, V{}) == std::nullopt);
  CHECK(check_definition_description("ARG", V{}, V{"x"}) == std::nullopt);
  CHECK(check_definition_description("ARG", V{"foo"}, V{"bar this is the bar"}) ==
        "Comment for ARG should follow the format: `# foo <description>`");
  CHECK(check_definition_description("FROM", V{"base"}, V{"BasE this is the BasE image"}) ==
        "Comment for FROM should follow the format: `# base <description>`");
  CHECK(check_definition_description("ARG", V{"foo", "bar", "baz"},
                                     V{"definitely a bad comment"}) ==
        "Comment for ARG should follow the format: `# <arg_key> <description>`");
  // Only the last comment line counts; the name alone is fine; a tab does not separate.
  CHECK(check_definition_description("ARG", V{"foo"}, V{"something else", "foo the foo"}) ==
        std::nullopt);
  CHECK(check_definition_description("ARG", V{"foo"}, V{"foo the foo", "something else"})
            .has_value());
  CHECK(check_definition_description("ARG", V{"foo"}, V{"foo"}) == std::nullopt);
  CHECK(check_definition_description("ARG", V{"foo"}, V{"foo\tthe foo"}).has_value());
}

TEST_CASE("checks: EXPOSE port specs") {
  auto l = lint_expose_spec("80");
  CHECK((l.lintable && !l.proto_casing && !l.invalid_format));
  l = lint_expose_spec("80/tcp");
  CHECK((l.lintable && !l.proto_casing && !l.invalid_format));
  l = lint_expose_spec("80/TcP");
  CHECK((l.lintable && l.proto_casing && !l.invalid_format));
  l = lint_expose_spec("8080/UDP");
  CHECK((l.lintable && l.proto_casing));
  l = lint_expose_spec("53/SCTP");
  CHECK((l.lintable && l.proto_casing));
  l = lint_expose_spec("80/");  // empty protocol means tcp
  CHECK((l.lintable && !l.proto_casing));
  l = lint_expose_spec("80:80");
  CHECK((l.lintable && l.invalid_format && !l.proto_casing));
  l = lint_expose_spec("127.0.0.1:80:80");
  CHECK((l.lintable && l.invalid_format));
  l = lint_expose_spec("[::1]:8080:8080");
  CHECK((l.lintable && l.invalid_format));
  l = lint_expose_spec("127.0.0.1::80/TCP");
  CHECK((l.lintable && l.invalid_format && l.proto_casing));
  l = lint_expose_spec(":80");  // empty host port: not reported
  CHECK((l.lintable && !l.invalid_format));
  l = lint_expose_spec("abc:80");  // reported, then BuildKit fails on the host port
  CHECK((l.lintable && l.invalid_format));
  l = lint_expose_spec("8000-9000/Udp");
  CHECK((l.lintable && l.proto_casing));
  // BuildKit fails before linting these.
  CHECK_FALSE(lint_expose_spec("80/tcpx").lintable);
  CHECK_FALSE(lint_expose_spec("80/TCPX").proto_casing);
  CHECK_FALSE(lint_expose_spec("/tcp").lintable);
  CHECK_FALSE(lint_expose_spec("").lintable);
  CHECK_FALSE(lint_expose_spec("80:").lintable);
}

TEST_CASE("checks: constant --platform exemption by stage name") {
  CHECK(const_platform_exempt("my_amd64_stage", "linux", "amd64"));
  CHECK(const_platform_exempt("linux", "linux", "amd64"));
  CHECK_FALSE(const_platform_exempt("", "linux", "amd64"));
  CHECK_FALSE(const_platform_exempt("builder", "linux", "amd64"));
  CHECK(const_platform_exempt("build-arm64", "linux", "arm64"));
}

TEST_CASE("checks: path cleaning like Go's path.Clean") {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"", "."},          {".", "."},         {"./", "."},        {"a", "a"},
      {"./a", "a"},       {"a/", "a"},        {"a//b", "a/b"},    {"a/./b", "a/b"},
      {"a/../b", "b"},    {"a/..", "."},      {"..", ".."},       {"../a", "../a"},
      {"../../a", "../../a"}, {"a/../../b", "../b"}, {"/", "/"},  {"//", "/"},
      {"/..", "/"},       {"/../a", "/a"},    {"/a/b/..", "/a"},  {"abc/def/../../..", ".."},
      {"sub/a.txt", "sub/a.txt"}, {"Dockerfile", "Dockerfile"},   {".dockerignore", ".dockerignore"},
      {"a/.b/..c", "a/.b/..c"},
  };
  for (auto [in, want] : cases) {
    const auto& in_ = in;  // clang 14: a structured binding cannot be captured
    CAPTURE(in_);
    CHECK(clean_path(in) == want);
  }
}

TEST_CASE("checks: CopyIgnoredFile pre-checks (BuildKit's validations_test)") {
  using P = std::vector<IgnorePattern>;
  auto pats = [](std::vector<std::string> lines) {
    P out;
    for (auto& l : lines) {
      bool neg = !l.empty() && l[0] == '!';
      out.push_back({neg ? l.substr(1) : l, neg});
    }
    return out;
  };
  // Negations that cannot re-include anything at or below the source do not disable it.
  CHECK_FALSE(copy_source_negated(pats({"sub", "!sub/b.txt"}), "sub/a.txt"));
  CHECK_FALSE(copy_source_negated(pats({"sub", "!other.txt"}), "sub/a.txt"));
  CHECK_FALSE(copy_source_negated(pats({"sub", "!nope/missing.txt"}), "sub/a.txt"));
  CHECK_FALSE(copy_source_negated(pats({"!sub/b.txt", "sub"}), "sub/a.txt"));
  CHECK_FALSE(copy_source_negated(pats({"sub", "!other/*.txt"}), "sub/a.txt"));
  // Negations at or below the source disable it.
  CHECK(copy_source_negated(pats({"sub", "!sub/keep.txt"}), "sub"));
  CHECK(copy_source_negated(pats({"sub", "!sub/nested/keep.txt"}), "sub"));
  CHECK(copy_source_negated(pats({"!sub/keep.txt", "sub"}), "sub"));
  CHECK(copy_source_negated(pats({"sub", "!sub/*.txt"}), "sub"));
  CHECK(copy_source_negated(pats({"sub", "!*/keep.txt"}), "sub"));
  CHECK(copy_source_negated(pats({"sub", "!sub/keep.txt"}), "sub/keep.txt"));
  CHECK(copy_source_negated(pats({"**", "!sub"}), "sub/a.txt") == false);
  // Root handling.
  CHECK(copy_source_root_ignored(pats({"*"})));
  CHECK(copy_source_root_ignored(pats({"**"})));
  CHECK(copy_source_root_ignored(pats({"**/*"})));
  CHECK_FALSE(copy_source_root_ignored(pats({".*"})));
  CHECK_FALSE(copy_source_root_ignored(pats({"!*"})));
  CHECK(copy_source_negated(pats({"**", "!Dockerfile"}), "."));
  CHECK(copy_source_negated(pats({"**", "!Dockerfile"}), "/"));
  CHECK_FALSE(copy_source_negated(pats({"*"}), "."));
}
