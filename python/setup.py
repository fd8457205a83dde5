"""Builds gaussmap._core with the project's CMake (the one build; no second list of sources) and
puts libgaussmap.so beside it, where the module's RPATH ($ORIGIN) finds it."""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

PROJECT = pathlib.Path(__file__).resolve().parent.parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = pathlib.Path(self.build_temp).resolve() / "cmake"
        subprocess.run(["cmake", "-S", str(PROJECT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                        "-DGAUSSMAP_TESTS=OFF", f"-DPython3_EXECUTABLE={sys.executable}"], check=True)
        jobs = os.environ.get("JOBS", str(os.cpu_count() or 2))
        subprocess.run(["cmake", "--build", str(build), "--target", "gaussmap_python", "-j", jobs],
                       check=True)
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        target.parent.mkdir(parents=True, exist_ok=True)
        built = build / "python" / "gaussmap"
        shutil.copy2(next(built.glob("_core*.so")), target)
        library = next((build / "src").glob("libgaussmap.so.*.*"))
        shutil.copy2(library, target.parent / ".".join(library.name.split(".")[:3]))


setup(packages=["gaussmap"], package_dir={"": "."}, package_data={"gaussmap": ["py.typed"]},
      ext_modules=[Extension("gaussmap._core", sources=[])], cmdclass={"build_ext": CMakeBuild})
