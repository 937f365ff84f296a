#!/usr/bin/env bash
# The onnx-webgpu tests need a Vulkan driver that Dawn (ORT's WebGPU provider) accepts. On a
# machine with none, install Mesa's software Vulkan (lavapipe) from Debian bookworm-backports:
# Debian 12's own Mesa 22 is refused by Dawn ("No supported adapters"), Mesa 25 is accepted.
# The backports source is added for this one install only and removed after. Never fails CI:
# when Mesa cannot be had, it says why and the GPU tests skip.
set -uo pipefail

# A Vulkan driver is present: a vendor's ICD, or a Mesa new enough for Dawn (>= 24).
mesa_version=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ -n "$mesa_version" ] && dpkg --compare-versions "$mesa_version" ge 24; then
  echo "webgpu: mesa-vulkan-drivers $mesa_version present"
  exit 0
fi
for icd in /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json; do
  [ -e "$icd" ] || continue
  case "$(basename "$icd")" in
    lvp_* | gfxstream_* | dzn_* | intel_* | radeon_* | nouveau_* | freedreno_* | broadcom_* | virtio_* | asahi_* | powervr_*) ;; # Mesa's own
    *) echo "webgpu: a vendor Vulkan driver is present ($icd)"; exit 0 ;;
  esac
done

if ! command -v apt-get >/dev/null || ! grep -q 'bookworm' /etc/os-release 2>/dev/null; then
  echo "webgpu: no Vulkan driver, and this is not Debian bookworm: the onnx-webgpu tests will skip"
  exit 0
fi
source_file=/etc/apt/sources.list.d/dflc-bookworm-backports.list
echo 'deb http://deb.debian.org/debian bookworm-backports main' >"$source_file"
installed=0
if apt-get update -qq -o DPkg::Lock::Timeout=600 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 -t bookworm-backports mesa-vulkan-drivers; then
  installed=1
fi
rm -f "$source_file"
apt-get update -qq -o DPkg::Lock::Timeout=600 || true
if [ "$installed" = 1 ]; then
  echo "webgpu: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) (software Vulkan) from bookworm-backports"
else
  echo "webgpu: could not install mesa-vulkan-drivers from bookworm-backports: the onnx-webgpu tests will skip"
fi
exit 0
