import { describe, expect, it } from 'vitest';
import { interleave, median, percentile, spread } from './stats.ts';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
  });
  it('takes the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
  it('answers the nearest rank', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
  });
});

describe('spread', () => {
  it('answers the lowest and the highest', () => {
    expect(spread([3, 9, 1])).toEqual({ min: 1, max: 9 });
  });
});

describe('interleave', () => {
  it('runs A B A B, and gives each variant its own samples', async () => {
    const order: string[] = [];
    const samples = await interleave(['a', 'b'] as const, 3, (variant, round) => {
      order.push(`${variant}${round}`);
      return Promise.resolve(round);
    });
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    expect(samples).toEqual({ a: [0, 1, 2], b: [0, 1, 2] });
  });
});
