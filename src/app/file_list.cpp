#include "app/file_list.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

namespace gaussmap::app {
namespace {

namespace fs = std::filesystem;

std::string lowered(std::string text) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string folderOf(const std::string& path) {
  if (path.empty()) return ".";
  std::error_code ec;
  if (path.back() == '/' || fs::is_directory(path, ec)) {
    std::string folder = path;
    while (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    return folder;
  }
  const std::string parent = fs::path(path).parent_path().string();
  return parent.empty() ? "." : parent;
}

FolderListing listFolder(const std::string& folder, const std::vector<std::string>& extensions) {
  FolderListing listing;
  listing.folder = folder.empty() ? "." : folder;
  if (listing.folder != "/") listing.entries.push_back({"..", true});
  std::vector<FolderEntry> folders, files;
  std::error_code ec;
  fs::directory_iterator it(listing.folder, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    listing.error = ec.message();
    return listing;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      listing.error = ec.message();
      break;
    }
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code type_error;
    if (it->is_directory(type_error)) {
      folders.push_back({name, true});
    } else if (it->is_regular_file(type_error)) {
      const std::string extension = lowered(it->path().extension().string());
      if (std::find(extensions.begin(), extensions.end(), extension) != extensions.end())
        files.push_back({name, false});
    }
  }
  const auto by_name = [](const FolderEntry& a, const FolderEntry& b) { return a.name < b.name; };
  std::sort(folders.begin(), folders.end(), by_name);
  std::sort(files.begin(), files.end(), by_name);
  listing.entries.insert(listing.entries.end(), folders.begin(), folders.end());
  listing.entries.insert(listing.entries.end(), files.begin(), files.end());
  return listing;
}

std::string typedFileName(const std::string& path) {
  if (path.empty() || path.back() == '/') return {};
  std::error_code ec;
  if (fs::is_directory(path, ec)) return {};
  return fs::path(path).filename().string();
}

std::string choosePath(const std::string& folder, const FolderEntry& entry,
                       const std::string& typed_name) {
  // "a/./" is "a", "." stays ".", "/" stays "/".
  std::string base = fs::path(folder.empty() ? "." : folder).lexically_normal().string();
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (base.empty()) base = ".";
  fs::path chosen;
  if (entry.name != "..") {
    chosen = base == "." ? fs::path(entry.name) : fs::path(base) / entry.name;
  } else if (base == ".") {
    chosen = "..";
  } else if (fs::path(base).filename() == "..") {
    chosen = fs::path(base) / "..";  // a parent of ".." is one more level up
  } else {
    chosen = fs::path(base).parent_path();
    if (chosen.empty()) chosen = ".";
  }
  if (!entry.folder) return chosen.string();
  if (chosen == "." && !typed_name.empty()) return typed_name;  // "x.json", not "./x.json"
  std::string path = chosen.string();
  if (path.back() != '/') path += '/';
  return path + typed_name;
}

}  // namespace gaussmap::app
