type Koffi = typeof import('koffi');

/**
 * The GPU adapters the machine's Vulkan drivers offer, listed through the Vulkan loader with
 * koffi. Dawn (inside ONNX Runtime's WebGPU provider) picks its adapter from the same drivers on
 * Linux, but ORT does not say which it picked nor what kind it is; Vulkan does, which is how
 * `auto` tells a real GPU from a software one (Mesa's lavapipe reports itself as a CPU).
 */

/** VkPhysicalDeviceType, by its numeric value. */
export const ADAPTER_TYPES = ['other', 'integrated', 'discrete', 'virtual', 'cpu'] as const;
export type AdapterType = (typeof ADAPTER_TYPES)[number];

export interface GpuAdapter {
  readonly name: string;
  readonly type: AdapterType;
}

/** The adapters, or why none could be listed (no loader, no driver). */
export type AdapterListing = { readonly adapters: readonly GpuAdapter[] } | { readonly reason: string };

/** The Vulkan loader's file per platform (macOS has none unless MoltenVK is installed: Dawn uses Metal there). */
const LOADER: Readonly<Partial<Record<string, string>>> = {
  linux: 'libvulkan.so.1',
  win32: 'vulkan-1.dll',
};

const VK_SUCCESS = 0;
const VK_INCOMPLETE = 5;
const STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1;
/** VkPhysicalDeviceProperties: 4 uint32 (api, driver, vendor, device ids), the type, then the name. */
const TYPE_OFFSET = 16;
const NAME_OFFSET = 20;
const NAME_BYTES = 256;
/** More than sizeof(VkPhysicalDeviceProperties) (824 bytes on 64-bit platforms): only the head is read. */
const PROPERTIES_BYTES = 2048;

/** A device-type number as an AdapterType (unknown future values count as `other`). */
export function adapterType(value: number): AdapterType {
  return ADAPTER_TYPES[value] ?? 'other';
}

/** A hardware GPU: what `auto` accepts. Software (cpu) and unknown kinds are for explicit use only. */
export function isHardware(type: AdapterType): boolean {
  return type === 'discrete' || type === 'integrated' || type === 'virtual';
}

/** The adapter Dawn prefers among several (discrete, then integrated, virtual, other, software). */
export function preferredAdapter(adapters: readonly GpuAdapter[]): GpuAdapter | undefined {
  const rank: Record<AdapterType, number> = { discrete: 0, integrated: 1, virtual: 2, other: 3, cpu: 4 };
  return [...adapters].sort((a, b) => rank[a.type] - rank[b.type])[0];
}

/** Lists the adapters once per process (loading every installed driver takes tens of milliseconds). */
let listing: Promise<AdapterListing> | undefined;
export function listGpuAdapters(): Promise<AdapterListing> {
  listing ??= enumerate().catch((error: unknown) => ({ reason: error instanceof Error ? error.message.split('\n')[0] : String(error) }));
  return listing;
}

async function enumerate(): Promise<AdapterListing> {
  const file = LOADER[process.platform];
  if (file === undefined) return { reason: `adapters are listed through Vulkan, which ${process.platform} does not have by default` };
  const loaded = (await import('koffi')) as Koffi & { default?: Koffi };
  const koffi = loaded.default ?? loaded;
  let library: ReturnType<Koffi['load']>;
  try {
    library = koffi.load(file);
  } catch {
    return { reason: `the Vulkan loader (${file}) is not installed` };
  }
  const createInstance = library.func('int vkCreateInstance(const void *info, const void *allocator, _Out_ void **instance)');
  const enumerateDevices = library.func('int vkEnumeratePhysicalDevices(void *instance, _Inout_ uint32_t *count, _Out_ void **devices)');
  const properties = library.func('void vkGetPhysicalDeviceProperties(void *device, _Out_ uint8_t *properties)');
  const destroyInstance = library.func('void vkDestroyInstance(void *instance, const void *allocator)');

  // VkInstanceCreateInfo with no application info, layers or extensions: 64 bytes on 64-bit platforms.
  const info = new BigUint64Array(8);
  info[0] = BigInt(STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
  const instance: [unknown] = [null];
  const created = createInstance(info, null, instance) as number;
  if (created !== VK_SUCCESS) return { reason: `Vulkan could not start (vkCreateInstance returned ${created}): no usable Vulkan driver is installed` };
  try {
    const count = [0];
    let status = enumerateDevices(instance[0], count, null) as number;
    if (status !== VK_SUCCESS || count[0] === 0) return { adapters: [] };
    const devices: unknown[] = new Array<unknown>(count[0]).fill(null);
    status = enumerateDevices(instance[0], count, devices) as number;
    if (status !== VK_SUCCESS && status !== VK_INCOMPLETE) return { reason: `vkEnumeratePhysicalDevices returned ${status}` };
    const adapters: GpuAdapter[] = [];
    for (const device of devices.slice(0, count[0])) {
      const bytes = new Uint8Array(PROPERTIES_BYTES);
      properties(device, bytes);
      const type = new DataView(bytes.buffer).getInt32(TYPE_OFFSET, true);
      const nameBytes = bytes.subarray(NAME_OFFSET, NAME_OFFSET + NAME_BYTES);
      const end = nameBytes.indexOf(0);
      adapters.push({ name: new TextDecoder().decode(nameBytes.subarray(0, end < 0 ? NAME_BYTES : end)), type: adapterType(type) });
    }
    return { adapters };
  } finally {
    destroyInstance(instance[0], null);
  }
}
