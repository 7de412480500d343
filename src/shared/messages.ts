import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RegistrationCorrection } from '../domain/registration';
import type { StandardCorrection } from '../domain/standard-registration';
import type {
  BrandStatusEvent,
  CampaignShareEvent,
  CampaignStatusEvent,
  NumberRegistrationEvent,
  TrustHubStatusEvent,
} from './events';
import type { DeregistrationProgress, ExternalCampaignProgress, RegistrationProgress } from './types';

// Signals: fire-and-forget events from Twilio (through the webhook handler) and from operators.
export const trustHubStatusSignal = defineSignal<[TrustHubStatusEvent]>('trustHubStatus');
export const brandStatusSignal = defineSignal<[BrandStatusEvent]>('brandStatus');
export const campaignStatusSignal = defineSignal<[CampaignStatusEvent]>('campaignStatus');
export const campaignShareSignal = defineSignal<[CampaignShareEvent]>('campaignShare');
/** A number of the workflow's Messaging Service was registered (or deregistered) for A2P traffic, or failed to be. */
export const numberRegistrationSignal = defineSignal<[NumberRegistrationEvent]>('numberRegistration');
/** Ask Twilio to send the customer a fresh OTP now. */
export const resendOtpSignal = defineSignal('resendOtp');

// Queries: read-only progress.
export const progressQuery = defineQuery<RegistrationProgress>('progress');
export const externalCampaignProgressQuery =
  defineQuery<ExternalCampaignProgress>('externalCampaignProgress');
export const deregistrationProgressQuery = defineQuery<DeregistrationProgress>('deregistrationProgress');

// Updates: the caller needs to know whether it was accepted.
/** Corrected registration data after Twilio rejected something; validated before it is accepted. */
export const submitCorrectionUpdate = defineUpdate<
  { accepted: true; phase: string },
  [RegistrationCorrection | StandardCorrection]
>('submitCorrection');
