import { describe, expect, it } from 'vitest'
import {
  isLoopbackAddress,
  isSpecialUseAddress,
} from '../../../reference-server/cimd/special-addresses.ts'

describe('special-use addresses (RFC 6890)', () => {
  it('refuses loopback, private, link-local, shared, documentation, multicast, reserved', () => {
    for (const address of [
      '127.0.0.1',
      '127.255.0.9',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '192.0.2.10',
      '198.18.0.1',
      '224.0.0.1',
      '255.255.255.255',
    ])
      expect(isSpecialUseAddress(address), address).toBe(true)
  })

  it('refuses IPv6 loopback, unspecified, unique-local, link-local and mapped private IPv4', () => {
    for (const address of [
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      'ff02::1',
      '2001:db8::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '0:0:0:0:0:ffff:a00:1',
      '64:ff9b::a00:1',
    ])
      expect(isSpecialUseAddress(address), address).toBe(true)
  })

  it('allows public addresses, also IPv4-mapped', () => {
    const publicOnes = ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8']
    for (const address of publicOnes)
      expect(isSpecialUseAddress(address), address).toBe(false)
  })

  it('treats anything that is not an IP address as special', () => {
    expect(isSpecialUseAddress('localhost')).toBe(true)
    expect(isSpecialUseAddress('')).toBe(true)
  })
})

describe('loopback addresses (what a trusted origin may resolve to, §8.6)', () => {
  it('are 127.0.0.0/8 and ::1, also mapped into IPv6', () => {
    for (const address of ['127.0.0.1', '127.9.8.7', '::1', '::ffff:127.0.0.1'])
      expect(isLoopbackAddress(address), address).toBe(true)
  })

  it('are not private, link-local, unspecified or public addresses', () => {
    const others = ['10.0.0.1', '192.168.1.1', '169.254.169.254', '0.0.0.0', '::', 'fd00::1']
    for (const address of [...others, '8.8.8.8', 'localhost'])
      expect(isLoopbackAddress(address), address).toBe(false)
  })
})
