#pragma once
// What the viewer edits: the scene, the selection, the file it came from, and the undo history.
// Every change goes through apply(), so every edit can be undone and marks the document modified.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gaussmap/scene.h"

namespace gaussmap::app {

// How the viewer names kernel `index` (0-based) to a person: its number counted from 1, as the
// kernel list shows it, and its label when it has one: "#3 'north sensor'".
std::string kernelName(const Scene& scene, int index);

class Document {
 public:
  Document() = default;
  // Validates the scene (InputError when invalid), so that every later edit starts valid.
  // `path` may be empty (a new scene): save() then asks for save-as.
  Document(Scene scene, std::string path);

  // The scene as shown and edited: at the current time (the same as animatedScene() when nothing
  // is keyed). Edit commands read and change this view; apply() maps changes back to keys.
  const Scene& scene() const { return view_; }
  // The scene with its keys, as saved.
  const Scene& animatedScene() const { return scene_; }
  double time() const { return time_; }
  void setTime(double t);
  // Auto-key: an edit at the current time sets or updates a key there on each changed kernel.
  // Off: unkeyed kernels change their own values; changing a keyed kernel is refused.
  bool autoKey() const { return auto_key_; }
  void setAutoKey(bool on) { auto_key_ = on; }
  const std::string& path() const { return path_; }
  // True when the scene differs from the one last loaded or saved; undoing back to that state
  // clears it again.
  bool modified() const { return modified_; }
  std::optional<int> selected() const { return selected_; }
  // An index that is not a kernel of the scene clears the selection.
  void select(std::optional<int> kernel_index);
  // Increases on every change of the scene (for re-rendering only when needed).
  std::uint64_t revision() const { return revision_; }
  // Increases on every change of the animated scene (not of the time): for what depends on the
  // whole animation, such as the viewer's locked colour range.
  std::uint64_t sceneRevision() const { return scene_revision_; }

  // Applies an edit as one undo step. The edited scene is validated first (validateScene): an
  // invalid result throws InputError and leaves the document unchanged (as does any exception
  // from `edit`). `merge_key` non-empty: consecutive edits with the same key (a drag, a slider
  // being dragged) merge into one step. Callers set the selection after apply(); undo restores
  // the selection from before the step, redo the one in place when it was undone.
  void apply(const std::string& description, const std::function<void(Scene&)>& edit,
             const std::string& merge_key = {});
  // Ends the current merge (call when a drag or a widget edit ends).
  void endMerge() { merge_key_.clear(); }

  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  void undo();
  void redo();
  // The description of the step undo() / redo() would revert / reapply ("" when none).
  std::string undoDescription() const;
  std::string redoDescription() const;

  // File operations: load replaces everything (throws InputError and keeps the current document
  // on a bad file); save writes atomically and clears `modified` (throws on failure, keeping it).
  // save() with no path yet throws RuntimeError asking for save-as; saveAs() takes the new path
  // only when the write succeeded.
  void load(const std::string& path);
  void save();
  void saveAs(const std::string& path);

 private:
  struct Step {
    std::string description;
    Scene before;
    Scene after;
    std::optional<int> selection_before;
    std::optional<int> selection_after;  // recorded when the step is undone
    std::uint64_t state = 0;             // names the scene `after`, for the modified flag
  };
  // The state the document is in: that of the last applied step, 0 for the loaded scene.
  std::uint64_t currentState() const { return undo_.empty() ? 0 : undo_.back().state; }
  void writeTo(const std::string& path) const;
  void setSelectionChecked(std::optional<int> kernel_index);

  // Recomputes view_ from scene_ and time_.
  void updateView();

  Scene scene_;
  Scene view_;
  double time_ = 0;
  bool auto_key_ = false;
  std::string path_;
  bool modified_ = false;
  std::optional<int> selected_;
  std::uint64_t revision_ = 0;
  std::uint64_t scene_revision_ = 0;
  std::vector<Step> undo_, redo_;
  std::string merge_key_;
  std::uint64_t saved_state_ = 0;  // currentState() when last loaded or saved
  std::uint64_t next_state_ = 1;
};

}  // namespace gaussmap::app
