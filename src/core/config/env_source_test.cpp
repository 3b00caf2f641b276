#include "core/config/env_source.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace pocketid::config {
namespace {

// A temporary directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "pid-config-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::filesystem::path Write(const std::string& name, std::string_view content) const {
    std::filesystem::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

EnvMap ParseOk(std::string_view content, const EnvSource& base = MapEnvSource{}) {
  StatusOr<EnvMap> vars = ParseDotEnv(content, base);
  EXPECT_TRUE(vars.ok()) << vars.status().message();
  return vars.ok() ? *vars : EnvMap{};
}

std::string ParseError(std::string_view content) {
  StatusOr<EnvMap> vars = ParseDotEnv(content, MapEnvSource{});
  EXPECT_FALSE(vars.ok());
  return vars.ok() ? "" : vars.status().message();
}

TEST(MapEnvSourceTest, SetGetUnset) {
  MapEnvSource env{{"A", "1"}, {"EMPTY", ""}};
  EXPECT_EQ(env.Get("A"), "1");
  EXPECT_EQ(env.Get("EMPTY"), "");
  EXPECT_EQ(env.Get("B"), std::nullopt);
  env.Set("B", "2");
  env.Unset("A");
  EXPECT_EQ(env.Get("B"), "2");
  EXPECT_EQ(env.Get("A"), std::nullopt);
}

TEST(DotEnvTest, KeyValueExportCommentsBlankLines) {
  EnvMap vars = ParseOk(
      "# a comment\n"
      "\n"
      "APP_URL=https://id.example.com\n"
      "   export ENCRYPTION_KEY=0123456789abcdef   \n"
      "LOG_LEVEL = debug # trailing comment\n"
      "HASH=abc#def\n"
      "YAML_STYLE: value\n"
      "EMPTY=\n"
      "exportNOT=1\n"
      "DOTTED.NAME-X=ok\r\n"
      "LAST=no-newline");
  EXPECT_EQ(vars["APP_URL"], "https://id.example.com");
  EXPECT_EQ(vars["ENCRYPTION_KEY"], "0123456789abcdef");
  EXPECT_EQ(vars["LOG_LEVEL"], "debug");
  EXPECT_EQ(vars["HASH"], "abc#def");  // '#' only starts a comment after a blank
  EXPECT_EQ(vars["YAML_STYLE"], "value");
  EXPECT_EQ(vars["EMPTY"], "");
  EXPECT_EQ(vars["exportNOT"], "1");
  EXPECT_EQ(vars["DOTTED.NAME-X"], "ok");
  EXPECT_EQ(vars["LAST"], "no-newline");
  EXPECT_EQ(vars.size(), 9u);
}

TEST(DotEnvTest, Quotes) {
  EnvMap vars = ParseOk(
      "SINGLE='literal \\n $HOME # not a comment'\n"
      "DOUBLE=\"line1\\nline2\\ttab \\\"q\\\" \\\\ end\" # comment\n"
      "MULTI=\"first\n"
      "second\"\n"
      "AFTER=1\n"
      "SPACES=\"  padded  \"\n"
      "EMPTYQ=\"\"\n");
  EXPECT_EQ(vars["SINGLE"], "literal \\n $HOME # not a comment");
  EXPECT_EQ(vars["DOUBLE"], "line1\nline2ttab \"q\" \\ end");
  EXPECT_EQ(vars["MULTI"], "first\nsecond");
  EXPECT_EQ(vars["AFTER"], "1");
  EXPECT_EQ(vars["SPACES"], "  padded  ");
  EXPECT_EQ(vars["EMPTYQ"], "");
}

TEST(DotEnvTest, VariableExpansion) {
  MapEnvSource base{{"HOME", "/home/pid"}, {"DIR", "from-env"}};
  EnvMap vars = ParseOk(
      "DIR=from-file\n"
      "A=$HOME/x\n"
      "B=\"${DIR}/y\"\n"
      "C='$HOME'\n"
      "D=\\$HOME\n"
      "E=\"\\$HOME\"\n"
      "F=$UNSET_VAR.end\n"
      "G=$lower and $ alone\n",
      base);
  EXPECT_EQ(vars["A"], "/home/pid/x");
  EXPECT_EQ(vars["B"], "from-file/y");  // earlier lines of the file first, like godotenv
  EXPECT_EQ(vars["C"], "$HOME");
  EXPECT_EQ(vars["D"], "$HOME");
  EXPECT_EQ(vars["E"], "$HOME");
  EXPECT_EQ(vars["F"], ".end");
  EXPECT_EQ(vars["G"], "$lower and $ alone");
}

TEST(DotEnvTest, MalformedLinesNameTheLine) {
  EXPECT_EQ(ParseError("A=1\nNOT_A_PAIR\nB=2\n"), "line 2: expected KEY=VALUE, found \"NOT_A_PAIR\" without '='");
  EXPECT_EQ(ParseError("A=1\n\nBAD KEY=2\n"), "line 3: unexpected character \"K\" in variable name \"BAD\"");
  EXPECT_EQ(ParseError("A!=1\n"), "line 1: unexpected character \"!\" in variable name \"A\"");
  EXPECT_EQ(ParseError("=value\n"), "line 1: missing variable name before '='");
  EXPECT_EQ(ParseError("A=1\nB=\"open\nC=3\n"), "line 2: unterminated quoted value (missing closing \")");
  EXPECT_EQ(ParseError("A=\"x\"\nB=\"multi\nline\" junk\n"), "line 3: unexpected characters after the closing quote");
}

TEST(DotEnvTest, ProcessEnvironmentWinsOverTheFile) {
  TempDir dir;
  auto path = dir.Write(".env", "APP_URL=https://from-file.example\nLOG_LEVEL=debug\nSET_EMPTY=file\n");
  auto base = std::make_unique<MapEnvSource>(std::initializer_list<std::pair<const std::string, std::string>>{
      {"APP_URL", "https://from-env.example"}, {"SET_EMPTY", ""}});
  StatusOr<std::unique_ptr<EnvSource>> env = LoadDotEnv(std::move(base), path);
  ASSERT_TRUE(env.ok()) << env.status().message();
  EXPECT_EQ((*env)->Get("APP_URL"), "https://from-env.example");
  EXPECT_EQ((*env)->Get("LOG_LEVEL"), "debug");
  EXPECT_EQ((*env)->Get("SET_EMPTY"), "");  // set (even to "") in the process: the file does not override
  EXPECT_EQ((*env)->Get("MISSING"), std::nullopt);
}

TEST(DotEnvTest, MissingFileIsNotAnError) {
  TempDir dir;
  auto base = std::make_unique<MapEnvSource>();
  base->Set("X", "1");
  StatusOr<std::unique_ptr<EnvSource>> env = LoadDotEnv(std::move(base), dir.path() / ".env");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ((*env)->Get("X"), "1");
}

TEST(DotEnvTest, MalformedFileErrorNamesFileAndLine) {
  TempDir dir;
  auto path = dir.Write(".env", "# header\nGOOD=1\nBROKEN LINE\n");
  StatusOr<std::unique_ptr<EnvSource>> env = LoadDotEnv(std::make_unique<MapEnvSource>(), path);
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().message(), "failed to parse .env file " + path.string() +
                                        ": line 3: unexpected character \"L\" in variable name \"BROKEN\"");
}

TEST(DotEnvTest, UnreadableFileIsAnError) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / ".env");  // exists, but read() fails
  StatusOr<std::unique_ptr<EnvSource>> env = LoadDotEnv(std::make_unique<MapEnvSource>(), dir.path() / ".env");
  ASSERT_FALSE(env.ok());
  EXPECT_EQ(env.status().message(),
            "failed to load .env file: read " + (dir.path() / ".env").string() + ": is a directory");
}

TEST(ProcessEnvTest, SnapshotSeesTheProcessEnvironment) {
  // PATH is set in every test runner; the snapshot must agree with getenv without modifying anything.
  const char* path = getenv("PATH");
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(SnapshotProcessEnv()->Get("PATH"), std::string(path));
  StatusOr<std::unique_ptr<EnvSource>> env = LoadProcessEnv("/nonexistent-dir-for-pid-tests/.env");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ((*env)->Get("PATH"), std::string(path));
}

}  // namespace
}  // namespace pocketid::config
