import type { ThinkingLevel } from '@openclaw/plugin-sdk'
import { z } from 'zod'

const KERNEL_LEVEL: Readonly<Record<string, ThinkingLevel | undefined>> = {
  off: 'off',
  minimal: 'minimal',
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
  adaptive: undefined,
}

/**
 * `thinking` as OpenClaw clients send it (`off|minimal|low|medium|high|xhigh|adaptive|max`), turned
 * into the kernel's level: `xhigh`/`max` → `high`, `adaptive` → the agent's default.
 */
export const ThinkingParam = z
  .enum(['off', 'minimal', 'low', 'medium', 'high', 'xhigh', 'adaptive', 'max'])
  .transform((level): ThinkingLevel | undefined => KERNEL_LEVEL[level])
