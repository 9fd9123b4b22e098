// Running and unpacking Java archives: `jar -xf` (a Spring Boot fat jar's BOOT-INF layout),
// `java -Djarmode=layertools -jar app.jar extract` and `java -Djarmode=tools -jar app.jar
// extract` (Spring Boot's layer directories), version queries; and `zip` (archive creation).
// Anything else `java` runs is a program whose effect is unknown.
#include "sim/effects/internal.h"

namespace dfplay::sim::detail {

namespace {

// Spring Boot's layered-jar split of a fat jar (dfplay estimate): the dependencies are most of
// it, the launcher classes ~0.3 MB, the application's own classes and resources the rest.
constexpr double kBootDependencies = 0.9;
constexpr uint64_t kBootLoaderBytes = 300'000;
constexpr const char* kBootSplitSource =
    "dfplay estimate: a Spring Boot fat jar is ~90 % dependencies (BOOT-INF/lib), ~0.3 MB launcher, the rest "
    "the application";

// A jar the simulation built as a Spring Boot fat jar (mvn/gradle with the Boot plugin).
bool is_boot_jar(const FileNode& n) { return n.source.find("Spring Boot") != std::string::npos; }

void put_tree(Ctx& c, const std::string& path, uint64_t size, uint64_t identity, std::string source) {
  c.put_summary(path, size, identity, std::move(source), true);
}

// The jar a command names: found in the model (returns it), or unknown (recorded; nullptr).
const FileNode* find_jar(Ctx& c, std::string_view tool, std::string_view arg, bool& failed) {
  failed = false;
  std::string p = c.abs(arg);
  if (const FileNode* n = c.fs.find(p); n && !n->is_dir()) return n;
  if (c.unknown_input(fmt::format("{} {}", tool, arg), p)) return nullptr;
  failed = true;
  c.fail(fmt::format("{}: {} (no such file or directory)", tool, arg));
  return nullptr;
}

// `jar -xf app.jar` / `jar xf app.jar` / `jar --extract --file app.jar` [-C DIR]: the members
// land in the current directory.
int j_jar(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  std::vector<std::string> argv = inv.argv;
  if (argv.size() > 1 && !argv[1].empty() && argv[1][0] != '-') argv[1] = "-" + argv[1];  // `jar xf`
  Inv copy;
  copy.argv = std::move(argv);
  Args a = parse_args(copy, {"-f", "--file", "-C", "--dir"}, 1);
  bool extract = a.has("-x") || a.has("--extract");
  if (a.has("--version") || a.has("--help") || a.has("-t") || a.has("--list")) {
    c.recognise("jar", "lists or prints information (no change)");
    return 0;
  }
  if (!extract) {
    // jar -c / -u: creating or updating an archive from class files we do not track one by one.
    c.unknown("jar " + (copy.argv.size() > 1 ? copy.argv[1] : std::string()), "jar creation is not modelled");
    return 0;
  }
  auto file = a.value("-f", "--file");
  if (!file && !a.positional.empty()) file = a.positional[0];
  if (!file) {
    c.unknown("jar -x", "archive from standard input");
    return 0;
  }
  std::string dir = c.abs(a.value("-C", "--dir").value_or("."));
  bool failed = false;
  const FileNode* jar = find_jar(c, "jar -x", *file, failed);
  if (failed) return 1;
  if (!jar) {
    if (!c.fs.exists(dir)) c.mkdir(dir);
    return 0;
  }
  c.key(jar->hash ? jar->hash : content_hash(*file));
  if (!jar->hash) c.output_unknown();
  if (!is_boot_jar(*jar)) {
    // A plain jar: its members are package directories we cannot name.
    c.unknown("jar -x " + std::string(*file), "members of a jar the simulation did not build: names unknown");
    return 0;
  }
  const uint64_t size = jar->size;
  const uint64_t deps = static_cast<uint64_t>(static_cast<double>(size) * kBootDependencies);
  const uint64_t loader = std::min(kBootLoaderBytes, size - deps);
  const uint64_t app = size - deps - loader;
  const uint64_t id = hash_combine(jar->hash, "jar -x");
  put_tree(c, clean_abs("BOOT-INF/lib", dir), deps, hash_combine(id, "lib"), kBootSplitSource);
  put_tree(c, clean_abs("BOOT-INF/classes", dir), app, hash_combine(id, "classes"), kBootSplitSource);
  put_tree(c, clean_abs("org/springframework/boot/loader", dir), loader, hash_combine(id, "loader"), kBootSplitSource);
  FileNode mf = file_node("Manifest-Version: 1.0\nMain-Class: org.springframework.boot.loader.launch.JarLauncher\n",
                          c.layer);
  mf.uid = c.user.uid;
  mf.gid = c.user.gid;
  c.fs.put(clean_abs("META-INF/MANIFEST.MF", dir), std::move(mf));
  c.eff.estimated = true;
  c.time(0.5 + static_cast<double>(size) / 1e8);
  c.recognise("jar -x", fmt::format("extracts Spring Boot jar {} into {}: BOOT-INF/lib ({}), BOOT-INF/classes ({}), "
                                    "META-INF, org/springframework/boot/loader (estimated)",
                                    *file, dir, human_size(deps), human_size(app)),
              kBootSplitSource);
  return 0;
}

// `java -Djarmode=layertools -jar app.jar extract [--destination D]` (Spring Boot 2.3+) and
// `java -Djarmode=tools -jar app.jar extract [--layers] [--launcher] [--destination D]` (3.3+).
int j_java(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  std::string jarmode;
  std::string_view jar_arg;
  size_t k = 1;
  for (; k < inv.argv.size(); ++k) {
    std::string_view a = inv.argv[k];
    if (a == "-version" || a == "--version" || a == "-v" || a == "-h" || a == "--help" || a == "-help" ||
        a == "-showversion") {
      c.recognise("java " + std::string(a), "prints version information");
      return 0;
    }
    if (a.starts_with("-Djarmode=")) jarmode = std::string(a.substr(10));
    else if (a == "-jar" && k + 1 < inv.argv.size()) {
      jar_arg = inv.argv[++k];
      ++k;
      break;
    } else if (a == "-cp" || a == "-classpath" || a == "--class-path" || a == "-p" || a == "--module-path") {
      ++k;
    } else if (!a.starts_with('-')) {
      break;
    }
  }
  std::vector<std::string_view> rest;
  for (; k < inv.argv.size(); ++k) rest.push_back(inv.argv[k]);
  bool extract = !rest.empty() && rest[0] == "extract";
  if (jar_arg.empty() || (jarmode != "layertools" && jarmode != "tools") || !extract) {
    if (!jar_arg.empty() && (jarmode == "layertools" || jarmode == "tools") && !rest.empty() && rest[0] == "list") {
      c.recognise("java -Djarmode=" + jarmode, "lists the layers (no change)");
      return 0;
    }
    c.unknown(inv.argv[0], "runs a program whose effect is not modelled");
    return 0;
  }
  // Options of `extract`.
  bool layers = jarmode == "layertools", launcher = jarmode == "layertools";
  std::string dest;
  std::vector<std::string_view> unknown_flags;
  for (size_t i = 1; i < rest.size(); ++i) {
    std::string_view o = rest[i];
    if (o == "--destination" && i + 1 < rest.size()) dest = std::string(rest[++i]);
    else if (o.starts_with("--destination=")) dest = std::string(o.substr(14));
    else if (o == "--layers") layers = true;
    else if (o == "--launcher") launcher = true;
    else if (o == "--force") continue;
    else unknown_flags.push_back(o);
  }
  std::string tool = "java -Djarmode=" + jarmode + " extract";
  bool failed = false;
  const FileNode* jar = find_jar(c, tool, jar_arg, failed);
  if (failed) return 1;
  std::string stem(base_name(clean_abs(jar_arg)));
  if (stem.ends_with(".jar")) stem.resize(stem.size() - 4);
  // layertools: the current directory; tools: a directory named after the jar.
  std::string out = c.abs(dest.empty() ? (jarmode == "tools" ? stem : ".") : dest);
  if (!jar) {
    c.mkdir(out);
    return 0;
  }
  uint64_t size = jar->size;
  uint64_t deps = static_cast<uint64_t>(static_cast<double>(size) * kBootDependencies);
  uint64_t loader = std::min(kBootLoaderBytes, size - deps);
  uint64_t app = size - deps - loader;
  uint64_t id = hash_combine(jar->hash ? jar->hash : content_hash(jar_arg), tool);
  c.key(id);
  if (!jar->hash) c.output_unknown();
  if (!is_boot_jar(*jar)) c.note(fmt::format("{}: {} was not built as a Spring Boot jar here: sizes assume one", tool, jar_arg));
  std::string what;
  if (layers) {
    put_tree(c, clean_abs("dependencies", out), deps, hash_combine(id, "dependencies"), kBootSplitSource);
    put_tree(c, clean_abs("snapshot-dependencies", out), 0, hash_combine(id, "snapshot-dependencies"), kBootSplitSource);
    put_tree(c, clean_abs("application", out), app, hash_combine(id, "application"), kBootSplitSource);
    if (launcher)
      put_tree(c, clean_abs("spring-boot-loader", out), loader, hash_combine(id, "spring-boot-loader"), kBootSplitSource);
    what = fmt::format("dependencies/ ({}), {}snapshot-dependencies/, application/ ({})", human_size(deps),
                       launcher ? "spring-boot-loader/, " : "", human_size(app));
  } else {
    // tools without --layers: the application jar and lib/ beside it.
    FileNode j;
    j.size = app + loader;
    j.layer = c.layer;
    j.uid = c.user.uid;
    j.gid = c.user.gid;
    j.hash = hash_combine(id, "jar");
    j.estimated = true;
    j.source = kBootSplitSource;
    c.fs.put(clean_abs(stem + ".jar", out), std::move(j));
    put_tree(c, clean_abs("lib", out), deps, hash_combine(id, "lib"), kBootSplitSource);
    what = fmt::format("{}.jar, lib/ ({})", stem, human_size(deps));
  }
  c.eff.estimated = true;
  c.time(1.0 + static_cast<double>(size) / 1e8);
  c.recognise(tool, fmt::format("extracts {} into {}: {} (estimated)", jar_arg, out, what), kBootSplitSource);
  for (auto f : unknown_flags) c.unknown(tool + " " + std::string(f), "option not modelled: its effect is unknown");
  return 0;
}

// `zip [-r] [-q] [-9] [-j] ARCHIVE[.zip] PATH...`: one file, ~1/2.5 of the inputs (deflate).
int z_zip(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  Args a = parse_args(inv, {"-x", "-i", "-b", "-n", "-t", "-tt", "-P"}, 1);
  if (a.has("-v") || a.has("-h") || a.has("--help")) {
    c.recognise("zip", "prints information");
    return 0;
  }
  if (a.positional.size() < 2) {
    c.fail("zip: nothing to do (zip ARCHIVE PATH...)");
    return 12;
  }
  std::string archive(a.positional[0]);
  if (archive != "-" && base_name(clean_abs(archive)).find('.') == std::string_view::npos) archive += ".zip";
  uint64_t total = 0, h = content_hash("zip");
  bool recursive = a.has("-r") || a.has("--recurse-paths");
  for (size_t i = 1; i < a.positional.size(); ++i) {
    std::string p = c.abs(a.positional[i]);
    const FileNode* n = c.fs.find(p);
    if (!n) {
      if (c.unknown_input("zip " + std::string(a.positional[i]), p)) continue;
      c.note(fmt::format("zip warning: name not matched: {}", a.positional[i]));
      continue;
    }
    total += recursive || !n->is_dir() || n->summary ? c.fs.size_under(p) : 0;
    h = hash_combine(h, c.tree_hash(p, [](const std::string&, const FileNode&) { return true; }));
  }
  uint64_t size = mb(static_cast<double>(total) / fig::tar_gz_ratio.value);
  if (archive != "-") {
    FileNode out;
    out.size = size;
    out.layer = c.layer;
    out.uid = c.user.uid;
    out.gid = c.user.gid;
    out.hash = hash_combine(h, size);
    out.estimated = true;
    out.source = fmt::format("zip of the listed paths (deflate ~1/{}; {})", fig::tar_gz_ratio.value, fig::tar_gz_ratio.source);
    c.fs.put(c.abs(archive), std::move(out));
    c.eff.estimated = true;
  }
  c.key(h);
  c.time(0.2 + static_cast<double>(total) / 5e7);
  c.recognise("zip", fmt::format("archives {} into {} ({} estimated)", human_size(total), archive, human_size(size)));
  c.note("zip archives record modification times: the archive differs on every build unless they are fixed");
  return 0;
}

}  // namespace

void register_jvm(Registry& r) {
  r.add("jar", j_jar);
  r.add("java", j_java);
  r.add("zip", z_zip);
}

}  // namespace dfplay::sim::detail
