/** Reading a PNG's signature and IHDR dimensions (to prove a screenshot is a real image). */
export function pngDimensions(data: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (data.length < 24 || !data.subarray(0, 8).equals(signature)) return undefined
  if (data.subarray(12, 16).toString('ascii') !== 'IHDR') return undefined
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
}
