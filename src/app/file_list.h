#pragma once
// What the viewer's Open, Save as and Export dialogs list under their path field: the folder of
// the path typed so far, its subfolders and the files of the kinds the dialog takes. No ImGui
// here, so that it is tested without a window.
#include <string>
#include <vector>

namespace gaussmap::app {

struct FolderEntry {
  std::string name;  // ".." for the parent
  bool folder = false;
};

struct FolderListing {
  std::string folder;                // as listed ("." for the current folder)
  std::vector<FolderEntry> entries;  // "..", then subfolders, then files, each group by name
  std::string error;                 // why the folder could not be read (entries then only "..")
};

// The folder a path's listing shows: the path itself when it names a folder (or ends in '/'),
// else its parent, "." when it has none.
std::string folderOf(const std::string& path);

// `folder`'s subfolders and the files whose extension is one of `extensions` (".json"; ASCII
// case aside), hidden entries (a leading '.') left out; ".." first unless the folder is "/".
FolderListing listFolder(const std::string& folder, const std::vector<std::string>& extensions);

// The file name part of a typed path ("out/export.png" -> "export.png"; "" when the path ends in
// '/' or names a folder). Looked up once a frame, not once an entry.
std::string typedFileName(const std::string& path);

// The path after choosing `entry` in `folder`'s listing: a file's path, or for a folder the
// folder followed by `typed_name` (typedFileName of the path so far, so that Export keeps
// "export.png" while the user walks to another folder). ".." of "." is "..".
std::string choosePath(const std::string& folder, const FolderEntry& entry,
                       const std::string& typed_name);

}  // namespace gaussmap::app
