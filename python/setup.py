"""Builds the one compiled part of cwts, the Cython extension cwts._shim.

Everything else is in pyproject.toml. The extension includes the generated C header of the
segment layout from this checkout (../packages/shm-layout/generated/cwts_shm.h), so the
package must be built from inside the repository: `pip install ./python` from its root.
"""

from __future__ import annotations

from pathlib import Path

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = Path(__file__).resolve().parent
HEADER_DIR = HERE.parent / "packages" / "shm-layout" / "generated"
HEADER = HEADER_DIR / "cwts_shm.h"

if not HEADER.is_file():
    raise SystemExit(
        f"cwts: the layout header {HEADER} is missing. The cwts Python package must be built in-tree from a "
        "checkout of the cwts repository (run `pip install ./python` from the repository root, with pip >= 21.3, "
        "which builds local directories in place), after `npm run generate` has written the header. "
        "Building from an sdist or a copy of python/ alone cannot find it."
    )

extension = Extension(
    "cwts._shim",
    sources=["cwts/_shim.pyx"],
    include_dirs=[numpy.get_include(), str(HEADER_DIR)],
    define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    extra_compile_args=["-O2"],
    depends=[str(HEADER), "cwts/_layout.pxd"],
)

setup(
    ext_modules=cythonize(
        [extension],
        compiler_directives={"language_level": "3", "boundscheck": False, "wraparound": False},
        include_path=[str(HERE)],
    ),
)
