import { describe, expect, it } from 'vitest'
import { formatUrl, isLoopbackHost, resolveBindHost } from './bind-host.js'

describe('bind hosts', () => {
  it('should map loopback and lan, and pass other hosts through', () => {
    expect(resolveBindHost('loopback')).toBe('127.0.0.1')
    expect(resolveBindHost('lan')).toBe('0.0.0.0')
    expect(resolveBindHost('192.168.1.5')).toBe('192.168.1.5')
  })

  it('should know which hosts are loopback', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host)).toBe(true)
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false)
  })

  it('should bracket IPv6 hosts in URLs', () => {
    expect(formatUrl('127.0.0.1', 80)).toBe('http://127.0.0.1:80')
    expect(formatUrl('::1', 80)).toBe('http://[::1]:80')
  })
})
