import { describe, expect, it } from 'vitest';
import { offlineMessage } from '../core/model/offlineModels';
import { NOTICE_TEXT } from './noticeText';

describe('the model notice', () => {
  it('offline, a model never downloaded: the visitor reads what happened and what to do, nothing before it', () => {
    const text = NOTICE_TEXT.modelFailed(offlineMessage('/models/snow/model.json'));
    expect(text).toBe('You are offline, and this model has not been downloaded yet (/models/snow/model.json). Go online once to fetch it, or, while online, use "Make every model available offline" beforehand.');
  });

  it('any other failure keeps its message, after "could not be loaded"', () => {
    expect(NOTICE_TEXT.modelFailed('Could not reach /models/snow/model.json: Failed to fetch')).toBe('The model could not be loaded: Could not reach /models/snow/model.json: Failed to fetch');
  });
});
