import { describeModel } from '../../support/model/driver.js';
import { deviceModel } from '../../support/model/device.model.js';

describeModel(deviceModel);
