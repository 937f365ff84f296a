import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ADAPTER_TYPES, adapterType, isHardware, listGpuAdapters, preferredAdapter, type GpuAdapter } from '../../../../runtime/executors/gpu/vulkan-adapters.ts';

describe('Vulkan adapters', () => {
  it("read VkPhysicalDeviceType's numbers (vulkan_core.h), unknown ones as other", () => {
    expect([0, 1, 2, 3, 4, 7].map(adapterType)).toEqual(['other', 'integrated', 'discrete', 'virtual', 'cpu', 'other']);
    expect(['discrete', 'integrated', 'virtual'].every((t) => isHardware(t as GpuAdapter['type']))).toBe(true);
    expect(isHardware('cpu') || isHardware('other')).toBe(false);
  });

  it('prefer a discrete GPU, then integrated, virtual, other, and software last, whatever the order listed', () => {
    const adapter = fc.record({ name: fc.string(), type: fc.constantFrom(...ADAPTER_TYPES) });
    fc.assert(
      fc.property(fc.array(adapter, { minLength: 1, maxLength: 6 }), (adapters) => {
        const order = ['discrete', 'integrated', 'virtual', 'other', 'cpu'];
        const best = preferredAdapter(adapters)!;
        expect(adapters).toContain(best);
        for (const a of adapters) expect(order.indexOf(best.type)).toBeLessThanOrEqual(order.indexOf(a.type));
      }),
    );
    expect(preferredAdapter([])).toBeUndefined();
  });

  it('are listed, or the reason why not is given, without throwing', async () => {
    const listing = await listGpuAdapters();
    if ('reason' in listing) expect(listing.reason).not.toBe('');
    else for (const adapter of listing.adapters) expect(adapter.name).not.toBe('');
  });
});
