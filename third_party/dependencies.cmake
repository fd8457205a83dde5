# Build glue for Debian's packages (see README "Setup"). No third-party code lives in this repo.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 CONFIG REQUIRED)
find_package(PNG REQUIRED)
find_package(Freetype REQUIRED)  # figure text (src/figure/font.cpp)
find_package(GDAL 3.6 CONFIG REQUIRED)  # GeoTIFF outputs (libgdal-dev)
find_package(glfw3 3.3 REQUIRED)
pkg_check_modules(EGL REQUIRED IMPORTED_TARGET egl)
if(GAUSSMAP_TESTS)
  find_package(GTest REQUIRED)
endif()

# Dear ImGui: Debian's libimgui.a already contains the GLFW and OpenGL3 backends.
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)

include(${CMAKE_CURRENT_LIST_DIR}/glad.cmake)
