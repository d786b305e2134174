// Keyframe detection for test assertions: the one implementation lives in src/.
export { isH264Keyframe, isKeyframe, isVp8Keyframe } from '../../src/media/keyframe.js';
