export { default } from '../../tsup.plugin.config.js'
