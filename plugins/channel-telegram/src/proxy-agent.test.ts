import { HttpProxyAgent } from 'http-proxy-agent'
import { HttpsProxyAgent } from 'https-proxy-agent'
import { SocksProxyAgent } from 'socks-proxy-agent'
import { describe, expect, it } from 'vitest'
import { createProxyAgent, isProxyUrl } from './proxy-agent.js'

describe('proxy agents', () => {
  it('takes http, https and socks5 proxy URLs, and nothing else', () => {
    for (const ok of ['http://127.0.0.1:3128', 'https://user:p%40ss@proxy.example:8443', 'socks5://u:p@10.0.0.1:1080', 'socks5h://proxy:1080/']) expect(isProxyUrl(ok)).toBe(true)
    for (const bad of ['proxy.example:3128', 'ftp://proxy', 'socks4://proxy:1080', 'http://proxy/some/path', 'http://', '']) expect(isProxyUrl(bad)).toBe(false)
  })

  it('picks SOCKS, CONNECT for https targets and forwarding for http ones', () => {
    expect(createProxyAgent('socks5://127.0.0.1:1080', 'https://api.telegram.org')).toBeInstanceOf(SocksProxyAgent)
    expect(createProxyAgent('http://127.0.0.1:3128', 'https://api.telegram.org')).toBeInstanceOf(HttpsProxyAgent)
    expect(createProxyAgent('http://127.0.0.1:3128', 'http://127.0.0.1:8081')).toBeInstanceOf(HttpProxyAgent)
  })
})
