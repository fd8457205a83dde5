#include "gl/program.h"

#include <algorithm>
#include <optional>
#include <regex>
#include <utility>
#include <vector>

#include "gaussmap/errors.h"

namespace gaussmap::gl {

namespace {

// The text handed to the driver, and the file behind each GLSL source-string number in it.
struct ExpandedSource {
  std::string text;
  std::vector<std::string> file_names;
};

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::string_view skipBlanks(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  return text;
}

// The rest of a preprocessor line after "#<directive>", or nullopt for any other line.
std::optional<std::string_view> directiveArguments(std::string_view line,
                                                   std::string_view directive) {
  line = skipBlanks(line);
  if (line.empty() || line.front() != '#') return std::nullopt;
  line = skipBlanks(line.substr(1));
  if (!line.starts_with(directive)) return std::nullopt;
  line.remove_prefix(directive.size());
  if (!line.empty() && line.front() != ' ' && line.front() != '\t' && line.front() != '"')
    return std::nullopt;
  return skipBlanks(line);
}

// The file of an `#include "name"` line (a trailing // comment is fine), else nullopt.
std::optional<std::string> includedFile(std::string_view line) {
  const auto arguments = directiveArguments(line, "include");
  if (!arguments || arguments->empty() || arguments->front() != '"') return std::nullopt;
  const std::size_t close = arguments->find('"', 1);
  if (close == std::string_view::npos) return std::nullopt;
  const std::string_view rest = skipBlanks(arguments->substr(close + 1));
  if (!rest.empty() && !rest.starts_with("//")) return std::nullopt;
  return std::string(arguments->substr(1, close - 1));
}

// GLSL 3.30 and later read `#line N S` as "the next line is line N of source string S".
std::string lineDirective(std::size_t line, std::size_t source_number) {
  return "#line " + std::to_string(line) + " " + std::to_string(source_number) + "\n";
}

// Expands #include lines and inserts the defines after #version. Each file gets its own
// source-string number and `#line` directives keep the driver's line numbers true to the files.
class SourceExpander {
 public:
  explicit SourceExpander(const ShaderLookup& lookup) : lookup_(lookup) {}

  ExpandedSource run(std::string_view name, std::string_view text, std::string_view defines) {
    result_.file_names.emplace_back(name);
    chain_.emplace_back(name);
    bool version_seen = false;
    appendFile(0, text, defines, &version_seen);
    if (!version_seen) throw RuntimeError("shader " + std::string(name) + " has no #version line");
    return std::move(result_);
  }

 private:
  void appendFile(std::size_t number, std::string_view text, std::string_view defines,
                  bool* version_seen) {
    std::size_t line_number = 0;
    for (const std::string_view line : splitLines(text)) {
      ++line_number;
      if (auto include = includedFile(line)) {
        appendInclude(number, line_number, *include);
        continue;
      }
      result_.text.append(line).push_back('\n');
      if (version_seen != nullptr && !*version_seen && directiveArguments(line, "version")) {
        *version_seen = true;
        result_.text.append(defines);
        if (!defines.empty() && defines.back() != '\n') result_.text.push_back('\n');
        result_.text += lineDirective(line_number + 1, number);
      }
    }
  }

  void appendInclude(std::size_t from, std::size_t line_number, const std::string& name) {
    const std::string where = chain_.back() + ":" + std::to_string(line_number);
    if (std::find(chain_.begin(), chain_.end(), name) != chain_.end()) {
      std::string cycle;
      for (const std::string& file : chain_) cycle += file + " -> ";
      throw RuntimeError(where + ": #include \"" + name + "\" is circular (" + cycle + name + ")");
    }
    std::string_view text;
    try {
      text = lookup_(name);
    } catch (const RuntimeError& error) {
      throw RuntimeError(where + ": cannot #include \"" + name + "\": " + error.what());
    }
    auto known = std::find(result_.file_names.begin(), result_.file_names.end(), name);
    const auto number = static_cast<std::size_t>(known - result_.file_names.begin());
    if (known == result_.file_names.end()) result_.file_names.push_back(name);

    result_.text += lineDirective(1, number);
    chain_.push_back(name);
    appendFile(number, text, {}, nullptr);
    chain_.pop_back();
    result_.text += lineDirective(line_number + 1, from);
  }

  const ShaderLookup& lookup_;
  ExpandedSource result_;
  std::vector<std::string> chain_;  // the files being expanded, outermost first
};

// Rewrites the driver's "<source>:<line>(<column>)" prefixes (Mesa; NVIDIA and AMD spell them
// differently) into "<file>:<line>:<column>", so the log points at the right shader file.
std::string nameFilesInLog(std::string_view log, const std::vector<std::string>& file_names) {
  static const std::regex kMesa(R"(^(\d+):(\d+)\((\d+)\): (.*)$)");
  static const std::regex kNvidia(R"(^(\d+)\((\d+)\) : (.*)$)");
  static const std::regex kAmd(R"(^(ERROR|WARNING): (\d+):(\d+): (.*)$)");
  const auto file = [&](const std::string& number) -> std::optional<std::string> {
    if (number.size() > 6) return std::nullopt;
    const auto index = static_cast<std::size_t>(std::stoul(number));
    if (index >= file_names.size()) return std::nullopt;
    return file_names[index];
  };
  std::string out;
  for (const std::string_view view : splitLines(log)) {
    const std::string line(view);
    std::smatch match;
    std::optional<std::string> name;
    if (std::regex_match(line, match, kMesa) && (name = file(match[1]))) {
      out += *name + ":" + match[2].str() + ":" + match[3].str() + ": " + match[4].str();
    } else if (std::regex_match(line, match, kNvidia) && (name = file(match[1]))) {
      out += *name + ":" + match[2].str() + ": " + match[3].str();
    } else if (std::regex_match(line, match, kAmd) && (name = file(match[2]))) {
      out += match[1].str() + ": " + *name + ":" + match[3].str() + ": " + match[4].str();
    } else {
      out += line;
    }
    out += '\n';
  }
  if (!out.empty()) out.pop_back();
  return out;
}

// The info log of a shader (glGetShaderiv, glGetShaderInfoLog) or a program, minus the final
// newline.
template <typename GetInteger, typename GetLog>
std::string infoLog(GLuint object, GetInteger get_integer, GetLog get_log) {
  GLint length = 0;
  get_integer(object, GL_INFO_LOG_LENGTH, &length);
  std::string log(static_cast<std::size_t>(std::max(length, 1)), '\0');
  GLsizei written = 0;
  get_log(object, static_cast<GLsizei>(log.size()), &written, log.data());
  log.resize(static_cast<std::size_t>(std::max(written, 0)));
  while (!log.empty() && log.back() == '\n') log.pop_back();
  return log;
}

// Owns a shader object only while the program is being built.
class ShaderObject {
 public:
  explicit ShaderObject(GLenum stage) : id_(glCreateShader(stage)) {
    if (id_ == 0) throw RuntimeError("glCreateShader failed");
  }
  ~ShaderObject() { glDeleteShader(id_); }
  ShaderObject(const ShaderObject&) = delete;
  ShaderObject& operator=(const ShaderObject&) = delete;
  GLuint id() const { return id_; }

 private:
  GLuint id_;
};

void compile(const ShaderObject& shader, std::string_view name, std::string_view text,
             std::string_view defines, const ShaderLookup& lookup) {
  const ExpandedSource source = SourceExpander(lookup).run(name, text, defines);
  const GLchar* pointer = source.text.data();
  const auto length = static_cast<GLint>(source.text.size());
  glShaderSource(shader.id(), 1, &pointer, &length);
  glCompileShader(shader.id());
  GLint compiled = GL_FALSE;
  glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &compiled);
  if (compiled != GL_TRUE) {
    throw RuntimeError(
        "compiling shader " + std::string(name) + " failed:\n" +
        nameFilesInLog(infoLog(shader.id(), glGetShaderiv, glGetShaderInfoLog), source.file_names));
  }
}

}  // namespace

Program::Program(std::string_view vertex_file, std::string_view fragment_file,
                 std::string_view defines)
    : Program(fromSources(vertex_file, shaderFile(vertex_file), fragment_file,
                          shaderFile(fragment_file), defines)) {}

Program::Program(GLuint id, std::string label) : id_(id), label_(std::move(label)) {}

Program Program::fromSources(std::string_view vertex_name, std::string_view vertex_text,
                             std::string_view fragment_name, std::string_view fragment_text,
                             std::string_view defines, const ShaderLookup& lookup) {
  std::string label = std::string(vertex_name) + " + " + std::string(fragment_name);
  // Without a current Context glad has no entry points, and the first call would crash.
  if (glCreateShader == nullptr)
    throw RuntimeError("cannot build program " + label + ": no OpenGL context has been created");
  const ShaderObject vertex(GL_VERTEX_SHADER);
  compile(vertex, vertex_name, vertex_text, defines, lookup);
  const ShaderObject fragment(GL_FRAGMENT_SHADER);
  compile(fragment, fragment_name, fragment_text, defines, lookup);

  const GLuint id = glCreateProgram();
  if (id == 0) throw RuntimeError("glCreateProgram failed for " + label);
  Program program(id, std::move(label));
  glAttachShader(id, vertex.id());
  glAttachShader(id, fragment.id());
  glLinkProgram(id);
  glDetachShader(id, vertex.id());
  glDetachShader(id, fragment.id());
  GLint linked = GL_FALSE;
  glGetProgramiv(id, GL_LINK_STATUS, &linked);
  if (linked != GL_TRUE) {
    throw RuntimeError("linking program " + program.label_ + " failed:\n" +
                       infoLog(id, glGetProgramiv, glGetProgramInfoLog));
  }
  return program;
}

Program::Program(Program&& other) noexcept
    : id_(std::exchange(other.id_, 0)),
      label_(std::move(other.label_)),
      uniform_locations_(std::move(other.uniform_locations_)) {}

Program& Program::operator=(Program&& other) noexcept {
  if (this != &other) {
    if (id_ != 0) glDeleteProgram(id_);
    id_ = std::exchange(other.id_, 0);
    label_ = std::move(other.label_);
    uniform_locations_ = std::move(other.uniform_locations_);
  }
  return *this;
}

Program::~Program() {
  if (id_ != 0) glDeleteProgram(id_);
}

void Program::use() const {
  glUseProgram(id_);
}

GLint Program::uniform(std::string_view name) const {
  if (const auto found = uniform_locations_.find(name); found != uniform_locations_.end())
    return found->second;
  const GLint location = glGetUniformLocation(id_, std::string(name).c_str());
  uniform_locations_.emplace(name, location);
  return location;
}

void Program::bindUniformBlock(std::string_view block, GLuint binding) {
  const GLuint index = glGetUniformBlockIndex(id_, std::string(block).c_str());
  if (index == GL_INVALID_INDEX) {
    throw RuntimeError("program " + label_ + " has no active uniform block \"" +
                       std::string(block) + "\"");
  }
  glUniformBlockBinding(id_, index, binding);
}

}  // namespace gaussmap::gl
